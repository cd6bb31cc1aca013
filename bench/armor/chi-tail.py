#!/usr/bin/env python3
# The exact tail of the chi-squared statistic of n base64 symbols drawn uniformly from 64, by dynamic programming
# over the 64 counts (multinomial = Poisson conditioned on the total). It gives the false-refusal bounds of
# policy/.../mime/SymbolDistribution (docs/content-protection.md), where the chi2(63) approximation is off by orders
# of magnitude. Needs python3-numpy and python3-scipy. Usage: bench/armor/chi-tail.py 250 256; bench/armor/chi-tail.py 300 96 128 160
import numpy as np, sys, math
from scipy.stats import poisson, chi2
def tail(n, bound, k=64):
    lam = n / k
    # X2 = k*S/n - n >= bound  <=>  S >= (bound+n)*n/k
    T = math.ceil((bound + n) * n / k - 1e-9)
    f = np.zeros((n + 1, T + 1)); f[0, 0] = 1.0
    cs = [c for c in range(n + 1) if poisson.logpmf(c, lam) > -80 * math.log(10)]
    for cell in range(k):
        g = np.zeros_like(f)
        for c in cs:
            w = poisson.pmf(c, lam); c2 = c * c
            src = f[:n + 1 - c]
            if c2 < T:
                g[c:, c2:T] += w * src[:, :T - c2]
                g[c:, T] += w * src[:, T - c2:].sum(axis=1)
            else:
                g[c:, T] += w * src.sum(axis=1)
        f = g
    return f[n, T] / poisson.pmf(n, n), f[n].sum() / poisson.pmf(n, n)
for arg in sys.argv[2:]:
    n = int(arg); b = float(sys.argv[1])
    t, total = tail(n, b)
    print(f"n={n} bound={b} exact P(X2>={b})={t:.3e} (total {total:.6f}) chi2(63) approx={chi2.sf(b,63):.3e}", flush=True)
