"""SciPy on the two CUTEst quartics of CurvatureProblems (BDQRTIC, NONDQUAR), with the stopping
test of the peer harness (‖∇f‖∞ ≤ 1e-6 checked in a callback), counting Hessian-vector products.

    python3 -m venv .build/pyvenv && .build/pyvenv/bin/pip install numpy scipy
    .build/pyvenv/bin/python scripts/cutest_scipy.py
    .build/pyvenv/bin/pip install "jax[cpu]==0.10.2"      # then, with jitted JAX derivatives:
    .build/pyvenv/bin/python scripts/cutest_scipy.py --jax --sizes 100000 --methods Newton-CG,trust-ncg

Without --jax the derivatives are hand-written NumPy; with it, jax.jit of value_and_grad and of
a forward-over-reverse Hessian-vector product, as the peer harness (float64). Compare with
`curvature solve nondquar_n1000 --method newton-cg` and the like.
"""
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize

GTOL = 1e-6


def nondquar(x):
    n = x.size
    g = np.zeros(n)
    first, end = x[0] - x[1], x[n - 2] + x[n - 1]
    t = x[:-2] + x[1:-1] + x[-1]
    d = 4 * t**3
    g[0] += 2 * first
    g[1] -= 2 * first
    g[n - 2] += 2 * end
    g[n - 1] += 2 * end + d.sum()
    g[:-2] += d
    g[1:-1] += d
    return first**2 + end**2 + np.sum(t**4), g


def nondquar_hvp(x, v):
    n = x.size
    r = np.zeros(n)
    first, end = 2 * (v[0] - v[1]), 2 * (v[n - 2] + v[n - 1])
    t = x[:-2] + x[1:-1] + x[-1]
    c = 12 * t * t * (v[:-2] + v[1:-1] + v[-1])
    r[0] += first
    r[1] -= first
    r[n - 2] += end
    r[n - 1] += end + c.sum()
    r[:-2] += c
    r[1:-1] += c
    return r


def bdqrtic(x):
    n = x.size
    last = x[-1]
    a = 3 - 4 * x[:-4]
    b = x[:-4]**2 + 2 * x[1:-3]**2 + 3 * x[2:-2]**2 + 4 * x[3:-1]**2 + 5 * last**2
    g = np.zeros(n)
    g[:-4] += -8 * a + 4 * b * x[:-4]
    g[1:-3] += 8 * b * x[1:-3]
    g[2:-2] += 12 * b * x[2:-2]
    g[3:-1] += 16 * b * x[3:-1]
    g[-1] += np.sum(20 * b * last)
    return np.sum(a * a) + np.sum(b * b), g


class Counted:
    def __init__(self, fg, hvp):
        self.fg, self.hvp, self.products = fg, hvp, 0

    def hessp(self, x, v):
        self.products += 1
        return self.hvp(x, v)

    def callback(self, intermediate_result):
        if np.abs(self.fg(intermediate_result.x)[1]).max() <= GTOL:
            raise StopIteration


def jax_derivatives(name):
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)

    def f(x):
        if name == "nondquar":
            t = x[:-2] + x[1:-1] + x[-1]
            return (x[0] - x[1])**2 + jnp.sum(t**4) + (x[-2] + x[-1])**2
        a = 3 - 4 * x[:-4]
        b = x[:-4]**2 + 2 * x[1:-3]**2 + 3 * x[2:-2]**2 + 4 * x[3:-1]**2 + 5 * x[-1]**2
        return jnp.sum(a * a) + jnp.sum(b * b)

    vg = jax.jit(jax.value_and_grad(f))
    hv = jax.jit(lambda x, v: jax.jvp(jax.grad(f), (x,), (v,))[1])

    def fg(x):
        value, gradient = vg(x)
        return float(value), np.asarray(gradient)

    return fg, lambda x, v: np.asarray(hv(x, v))


USE_JAX = "--jax" in sys.argv
METHODS = None
if "--methods" in sys.argv:
    METHODS = sys.argv[sys.argv.index("--methods") + 1].split(",")
SIZES = None
if "--sizes" in sys.argv:
    SIZES = [int(s) for s in sys.argv[sys.argv.index("--sizes") + 1].split(",")]

RUNS = [
    ("nondquar", nondquar, nondquar_hvp, lambda n: np.array([(-1.0) ** i for i in range(n)]),
     [100, 1000]),
    ("bdqrtic", bdqrtic, None, lambda n: np.ones(n), [1000, 5000]),
]
print("scipy", scipy.__version__, "derivatives:", "jax" if USE_JAX else "numpy")
for name, fg, hvp, start, sizes in RUNS:
    if USE_JAX:
        fg, jax_hvp = jax_derivatives(name)
        hvp = jax_hvp
    for n in SIZES or sizes:
        methods = [("L-BFGS-B", {"gtol": GTOL, "ftol": 0.0, "maxfun": 10**6, "maxiter": 5000})]
        if hvp is not None:
            methods = [("Newton-CG", {"xtol": 1e-14, "maxiter": 1000}),
                       ("trust-ncg", {"gtol": GTOL, "maxiter": 1000})] + methods
        for method, options in methods:
            if METHODS and method not in METHODS:
                continue
            c = Counted(fg, hvp)
            extra = {"hessp": c.hessp} if hvp is not None and method != "L-BFGS-B" else {}
            x0 = start(n)
            if USE_JAX:  # compile outside the timing
                fg(x0)
                if hvp is not None:
                    hvp(x0, x0)
            t0 = time.perf_counter()
            r = minimize(fg, x0, jac=True, method=method, options=options,
                         callback=c.callback, **extra)
            seconds = time.perf_counter() - t0
            gnorm = np.abs(fg(r.x)[1]).max()
            print(f"{name}_n{n} {method}: nit {r.nit} nfev {r.nfev} njev {r.get('njev', '-')} "
                  f"products {c.products} f {r.fun:.10g} |g|inf {gnorm:.2e} "
                  f"solved {gnorm <= GTOL} time {seconds:.3f} s")
