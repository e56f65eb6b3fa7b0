//! How messages write lists and counts: "scenarios 2 and 4", "a, b and c" — in words, not
//! in the debug notation of a Rust value (`[2, 4]`). A leaf: it uses nothing of the crate,
//! so every layer's messages may use it.

/// `a`, `a and b`, `a, b and c` (English, no serial comma).
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(|s| s.as_ref()).collect();
            format!("{} and {}", head.join(", "), last.as_ref())
        }
    }
}

/// `a` or `b`; `a, b or c`.
pub fn alternatives<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(|s| s.as_ref()).collect();
            format!("{} or {}", head.join(", "), last.as_ref())
        }
    }
}

/// `1 scenario`, `2 scenarios`: a count with its noun (plural by an `s`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `scenario 3`, `scenarios 2 and 4`: numbered things named as a list.
pub fn numbered(noun: &str, numbers: &[usize]) -> String {
    let items: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
    if numbers.len() == 1 {
        format!("{noun} {}", items[0])
    } else {
        format!("{noun}s {}", list(&items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_words() {
        assert_eq!(list::<&str>(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(alternatives(&["a", "b", "c"]), "a, b or c");
        assert_eq!(numbered("scenario", &[2, 4]), "scenarios 2 and 4");
        assert_eq!(numbered("scenario", &[3]), "scenario 3");
        assert_eq!(count(1, "problem"), "1 problem");
        assert_eq!(count(3, "problem"), "3 problems");
    }
}
