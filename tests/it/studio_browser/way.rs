//! Finding one's way in the studio's editor, in Chromium: services by name, collapsed,
//! the search and the jump list.

use fantoccini::Client;
use serde_json::json;

use super::{js, type_into, until};

/// Finding one's way in the editor: every service collapsed under its name (not its id)
/// and its setting in the page's language, headings in sentence case, choices by name;
/// the search keeps only the services that match, in the page and the jump list.
pub(super) async fn find_your_way(c: &Client) {
    assert_eq!(
        js(c, "document.querySelectorAll('details.svc[open]').length").await,
        json!(0),
        "every service collapsed"
    );
    let heading = js(
        c,
        "document.querySelector('#svc-pleegzorg > summary').innerText",
    )
    .await;
    let heading = heading.as_str().unwrap_or("");
    assert!(
        heading.starts_with("Pleegzorg") && heading.contains("gezinsvorm (pleeggezin, gezinshuis)"),
        "{heading}"
    );
    assert!(!heading.contains("family"), "{heading}");
    assert_eq!(
        js(
            c,
            "document.querySelector('nav.jump a[data-svc=\"crisis\"]').innerText"
        )
        .await,
        json!("Crisisopvang (Spoed voor Jeugd)")
    );
    // a diversion chooses its service by name
    let option = js(
        c,
        "document.querySelector('select[data-key=\"svc.crisis.divert.to\"] option[value=\"pleegzorg\"]').textContent",
    )
    .await;
    assert_eq!(option, json!("Pleegzorg"));
    assert_eq!(
        js(
            c,
            "document.querySelector('#transitions .svcname').innerText"
        )
        .await,
        json!("Overgangsperiodes per segment")
    );
    // the search: only what matches, in the page and the jump list; cleared, all again
    type_into(c, "#find", "pleeg").await;
    let shown = js(
        c,
        "Array.from(document.querySelectorAll('details.svc')).filter(function (d) { return !d.hidden; }).map(function (d) { return d.dataset.svc; })",
    )
    .await;
    let shown: Vec<String> = serde_json::from_value(shown).expect("services");
    assert!(shown.contains(&"pleegzorg".to_string()), "{shown:?}");
    assert!(!shown.contains(&"residentieel".to_string()), "{shown:?}");
    assert_eq!(
        js(
            c,
            "document.querySelector('nav.jump a[data-svc=\"residentieel\"]').parentNode.hidden"
        )
        .await,
        json!(true)
    );
    type_into(c, "#find", "").await;
    js(
        c,
        "(document.querySelector('#find').dispatchEvent(new Event('input')), true)",
    )
    .await;
    until(
        c,
        "!document.querySelector('#svc-residentieel').hidden",
        "every service again",
    )
    .await;
}
