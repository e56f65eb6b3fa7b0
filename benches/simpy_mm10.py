"""The M/M/10 model of `benches/data/mm10-300k.toml` in SimPy, for the speed comparison in
README "Performance": 9 arrivals per day for 33,333 days (~300,000 youths), exponential
stays of mean 1 day, 10 places, first come first served; it keeps the running sums a
bare model needs (arrivals, waits, busy time) and prints the mean wait and the wall time.

    python3 -m pip install simpy && python3 benches/simpy_mm10.py
"""

import random
import sys
import time

import simpy

LAMBDA, PLACES, MEAN_STAY, DAYS = 9.0, 10, 1.0, 33_333.0


def main(seed=1):
    rnd = random.Random(seed)
    env = simpy.Environment()
    station = simpy.Resource(env, capacity=PLACES)
    sums = {"n": 0, "wait": 0.0, "busy": 0.0}

    def youth(env):
        arrived = env.now
        with station.request() as req:
            yield req
            sums["wait"] += env.now - arrived
            sums["n"] += 1
            stay = rnd.expovariate(1.0 / MEAN_STAY)
            sums["busy"] += stay
            yield env.timeout(stay)

    def inflow(env):
        while True:
            yield env.timeout(rnd.expovariate(LAMBDA))
            env.process(youth(env))

    env.process(inflow(env))
    started = time.perf_counter()
    env.run(until=DAYS)
    wall = time.perf_counter() - started
    print(
        f"simpy mm10: {sums['n']} admitted, mean wait {sums['wait'] / sums['n']:.4f} days, "
        f"utilisation {sums['busy'] / DAYS / PLACES:.3f}, {wall:.3f} s",
        file=sys.stderr,
    )
    return wall


if __name__ == "__main__":
    main()
