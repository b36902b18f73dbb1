"""NumPy/SciPy twin of `curvature bench --suite dense`: the same dense operations on the same
inputs, timed the same way (one warm-up call, then the median of --repeat calls; a warm-up over
10 s is reported alone), with the same nominal flop counts and the same residual probes.

    .build/pyvenv/bin/pip install numpy scipy threadpoolctl
    swift build -c release --product curvature
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .build/pyvenv/bin/python scripts/dense_numpy.py --curvature .build/release/curvature

Unsetting OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (for this command only) lets OpenBLAS pick the
kernels of the machine it runs on; the BLAS line printed first says which it chose (threadpoolctl:
internal_api, version, architecture, num_threads).

Options: --sizes 100,500,1000,2000 (matrix orders), --problems gemm,qr (operations), --repeat 5,
--threads N (limit the BLAS threads, and Curvature's through CURVATURE_DENSE_THREADS; default:
each library's own choice, all processors), --eigh-driver evr (the
scipy.linalg.eigh driver), --json FILE, --quiet (no progress lines on stderr), and
--curvature PATH, which runs `PATH bench --suite dense --json ...` size by size, alternating with
the NumPy runs, and prints Curvature's table and the ratios (ours/theirs throughput, which is
numpy seconds / curvature seconds since both count the same flops).

Operations (n × n; flops as in Golub & Van Loan):
  gemm            A @ B                                   2n³
  gemm-atb        A.T @ B                                 2n³
  gemm-abt        A @ B.T                                 2n³
  syrk            A.T @ A (NumPy hands it to BLAS dsyrk)  n³
  cholesky        scipy.linalg.cholesky(S, lower=True)    n³/3
  trsm            L X = A, L the Cholesky factor of S: scipy.linalg.solve_triangular(L, A,
                  lower=True) with the n columns of A as right-hand sides (BLAS dtrsm)  n³
  cholesky-solve  S X = A through the factor: two scipy.linalg.solve_triangular calls with n
                  right-hand sides, L Y = A and Lᵀ X = Y  2n³
  qr              scipy.linalg.qr(A, mode='raw'): LAPACK dgeqrf, R and the reflectors, Q not
                  formed (as Curvature's QRFactorization)  4n³/3
  eigh            scipy.linalg.eigh(S), eigenvalues and eigenvectors   nominal 9n³
Inputs: the entries of A and B are 2u − 1 for SplitMix64 uniforms u (seeds 1 and 2, row-major),
bit for bit those of Curvature's SplitMix64; S = BᵀB + nI; the probe vector x has seed 3.
Residuals (Frobenius norms): ‖(C − AB)x‖/(‖A‖‖B‖‖x‖) for the products, ‖(C − AᵀA)x‖/(‖A‖²‖x‖),
‖(S − LLᵀ)x‖/(‖S‖‖x‖), ‖(LX − A)x‖/(‖L‖‖X‖‖x‖), ‖(SX − A)x‖/(‖S‖‖X‖‖x‖), ‖(QR − A)x‖/(‖A‖‖x‖) with Q applied by dormqr, and
for eigh max(‖(SV − VΛ)x‖/(‖S‖‖x‖), ‖(VᵀV − I)x‖/‖x‖); check is ok when at most 1e-10.
"""
import argparse
import datetime
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
import scipy.linalg
from scipy.linalg import lapack
import threadpoolctl

OPERATIONS = [
    "gemm", "gemm-atb", "gemm-abt", "syrk", "cholesky", "trsm", "cholesky-solve", "qr", "eigh",
]
FLOPS_PER_CUBE = {
    "gemm": 2, "gemm-atb": 2, "gemm-abt": 2, "syrk": 1, "cholesky": 1 / 3, "trsm": 1,
    "cholesky-solve": 2, "qr": 4 / 3, "eigh": 9,
}
SINGLE_RUN_SECONDS = 10.0
RESIDUAL_TOLERANCE = 1e-10


def uniforms(count, seed):
    """count numbers 2u − 1 from SplitMix64 with the given seed. The generator is a counter:
    output k (k = 1, 2, …) mixes seed + k·γ, so the whole sequence is a few array operations."""
    gamma = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * gamma
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return 2 * u - 1


def inputs(n):
    a = uniforms(n * n, 1).reshape(n, n)
    b = uniforms(n * n, 2).reshape(n, n)
    s = b.T @ b + n * np.eye(n)
    x = uniforms(n, 3)
    return a, b, s, x


def timed(body, repeats):
    """(median seconds, timed calls, last result) of body after one warm-up call."""
    start = time.perf_counter()
    result = body()
    warm_up = time.perf_counter() - start
    if warm_up > SINGLE_RUN_SECONDS:
        return warm_up, 1, result
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = body()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), repeats, result


def apply_q(h, tau, y):
    """Q·y for the orthogonal Q of a dgeqrf result (h, tau), by LAPACK dormqr."""
    c = np.asfortranarray(y.reshape(-1, 1))
    cq, _, info = lapack.dormqr("L", "N", h, tau, c, lwork=max(64, c.shape[1]))
    assert info == 0, f"dormqr failed, info = {info}"
    return cq[:, 0]


def measure(operation, n, data, repeats, eigh_driver):
    """One record: the timing of operation at order n and the residual of its last result."""
    a, b, s, x = data
    norm = np.linalg.norm  # the 2-norm of vectors, the Frobenius norm of matrices
    xn = norm(x)
    if operation == "gemm":
        seconds, runs, c = timed(lambda: a @ b, repeats)
        residual = norm(c @ x - a @ (b @ x)) / (norm(a) * norm(b) * xn)
    elif operation == "gemm-atb":
        seconds, runs, c = timed(lambda: a.T @ b, repeats)
        residual = norm(c @ x - a.T @ (b @ x)) / (norm(a) * norm(b) * xn)
    elif operation == "gemm-abt":
        seconds, runs, c = timed(lambda: a @ b.T, repeats)
        residual = norm(c @ x - a @ (b.T @ x)) / (norm(a) * norm(b) * xn)
    elif operation == "syrk":
        seconds, runs, c = timed(lambda: a.T @ a, repeats)
        residual = norm(c @ x - a.T @ (a @ x)) / (norm(a) ** 2 * xn)
    elif operation == "cholesky":
        seconds, runs, l = timed(
            lambda: scipy.linalg.cholesky(s, lower=True, check_finite=False), repeats)
        residual = norm(s @ x - l @ (l.T @ x)) / (norm(s) * xn)
    elif operation == "trsm":
        l = scipy.linalg.cholesky(s, lower=True, check_finite=False)
        seconds, runs, xs = timed(
            lambda: scipy.linalg.solve_triangular(l, a, lower=True, check_finite=False), repeats)
        residual = norm(l @ (xs @ x) - a @ x) / (norm(l) * norm(xs) * xn)
    elif operation == "cholesky-solve":
        l = scipy.linalg.cholesky(s, lower=True, check_finite=False)

        def solve():
            y = scipy.linalg.solve_triangular(l, a, lower=True, check_finite=False)
            return scipy.linalg.solve_triangular(l, y, lower=True, trans="T", check_finite=False)

        seconds, runs, xs = timed(solve, repeats)
        residual = norm(s @ (xs @ x) - a @ x) / (norm(s) * norm(xs) * xn)
    elif operation == "qr":
        seconds, runs, ((h, tau), r) = timed(
            lambda: scipy.linalg.qr(a, mode="raw", check_finite=False), repeats)
        residual = norm(apply_q(h, tau, r @ x) - a @ x) / (norm(a) * xn)
    elif operation == "eigh":
        seconds, runs, (w, v) = timed(
            lambda: scipy.linalg.eigh(s, check_finite=False, driver=eigh_driver), repeats)
        vx = v @ x
        residual = max(norm(s @ vx - v @ (w * x)) / (norm(s) * xn), norm(v.T @ vx - x) / xn)
    else:
        raise ValueError(f"unknown operation {operation}")
    return dict(operation=operation, n=n, seconds=seconds, runs=runs,
                flops=FLOPS_PER_CUBE[operation] * float(n) ** 3, residual=float(residual))


def gflops(record):
    return record["flops"] / record["seconds"] / 1e9


def render(headers, rows, right):
    """A text table like Curvature's TextTable: padded columns, two spaces apart, a dashed rule."""
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]

    def line(cells):
        padded = [c.rjust(w) if i in right else c.ljust(w)
                  for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def timing_table(records):
    rows = [[r["operation"], str(r["n"]), str(r["runs"]), f"{r['seconds']:.3e}",
             f"{gflops(r):.2f}", f"{r['residual']:.1e}",
             "ok" if r["residual"] <= RESIDUAL_TOLERANCE else "FAIL"] for r in records]
    return render(["operation", "n", "runs", "median s", "GFLOP/s", "residual", "check"], rows,
                  right={1, 2, 3, 4, 5})


def ratio_table(ours, theirs):
    """Curvature against NumPy/SciPy, (operation, n) by (operation, n)."""
    by_key = {(r["operation"], r["n"]): r for r in theirs}
    rows, ratios = [], []
    for o in ours:
        t = by_key.get((o["operation"], o["n"]))
        if t is None:
            continue
        ratio = t["seconds"] / o["seconds"]
        ratios.append(ratio)
        rows.append([o["operation"], str(o["n"]), f"{o['seconds']:.3e}", f"{t['seconds']:.3e}",
                     f"{gflops(o):.2f}", f"{gflops(t):.2f}", f"{ratio:.3f}"])
    table = render(["operation", "n", "curvature s", "numpy s", "curvature GFLOP/s",
                    "numpy GFLOP/s", "ours/theirs"], rows, right={1, 2, 3, 4, 5, 6})
    return table, ratios


def blas_lines():
    lines = []
    for lib in threadpoolctl.threadpool_info():
        if lib.get("user_api") != "blas":
            continue
        lines.append(f"BLAS: {lib.get('internal_api')} {lib.get('version')}, architecture "
                     f"{lib.get('architecture')}, {lib.get('num_threads')} threads "
                     f"({os.path.basename(lib.get('filepath', '?'))})")
    return lines


def run_curvature(path, n, operations, repeats, threads):
    """The records of `path bench --suite dense` at order n; with threads, its dense kernels get
    the same cap through CURVATURE_DENSE_THREADS."""
    environment = dict(os.environ)
    if threads is not None:
        environment["CURVATURE_DENSE_THREADS"] = str(threads)
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "dense.json")
        command = [path, "bench", "--suite", "dense", "--sizes", str(n), "--repeat",
                   str(repeats), "--quiet", "--json", out, "--problems", ",".join(operations)]
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
        with open(out) as f:
            records = json.load(f)["dense"]
    for r in records:  # Curvature writes non-finite numbers as the strings "inf" and "nan"
        for key in ("seconds", "flops", "residual"):
            r[key] = float(r[key])
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,500,1000,2000", help="matrix orders")
    parser.add_argument("--problems", default=",".join(OPERATIONS), help="operations")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls after a warm-up")
    parser.add_argument("--threads", type=int,
                        help="limit the BLAS threads and CURVATURE_DENSE_THREADS")
    parser.add_argument("--eigh-driver", default="evr", help="scipy.linalg.eigh driver")
    parser.add_argument("--json", metavar="FILE", help="write the records as JSON")
    parser.add_argument("--curvature", metavar="PATH", help="the release curvature binary")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.replace(" ", ",").split(",") if s]
    operations = [p for p in args.problems.replace(" ", ",").split(",") if p]
    for p in operations:
        if p not in OPERATIONS:
            sys.exit(f"unknown operation {p}; valid: {', '.join(OPERATIONS)}")
    if args.repeat < 1 or any(n < 1 for n in sizes):
        sys.exit("--repeat and --sizes must be positive")
    if args.threads is not None:
        threadpoolctl.threadpool_limits(limits=args.threads, user_api="blas")
    for variable in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS"):
        if variable in os.environ:
            print(f"note: {variable}={os.environ[variable]} is set", file=sys.stderr)

    print(f"NumPy {np.__version__}, SciPy {scipy.__version__}, "
          f"scipy.linalg.eigh driver {args.eigh_driver}, {os.cpu_count()} processors")
    for line in blas_lines():
        print(line)
    print()

    theirs, ours = [], []
    total = len(sizes) * len(operations)
    for n in sizes:
        if args.curvature:
            if not args.quiet:
                print(f"curvature bench --suite dense --sizes {n} …", file=sys.stderr)
            ours += run_curvature(args.curvature, n, operations, args.repeat, args.threads)
        data = inputs(n)
        for operation in operations:
            record = measure(operation, n, data, args.repeat, args.eigh_driver)
            theirs.append(record)
            if not args.quiet:
                print(f"[{len(theirs)}/{total}] {operation} n = {n}: {record['seconds']:.3g} s, "
                      f"{gflops(record):.2f} GFLOP/s, residual {record['residual']:.1e}",
                      file=sys.stderr)

    calls = "call" if args.repeat == 1 else "calls"
    print(f"NumPy/SciPy, median of {args.repeat} {calls} after a warm-up "
          "(a warm-up over 10 s is timed alone)\n")
    print(timing_table(theirs))
    print("(GFLOP/s by the nominal counts: gemm 2n³, syrk n³, cholesky n³/3, trsm n³, "
          "cholesky-solve 2n³, qr 4n³/3, eigh 9n³)\n")
    if args.curvature:
        threads = f", CURVATURE_DENSE_THREADS={args.threads}" if args.threads else ""
        print(f"Curvature ({args.curvature}{threads}), the same measurements\n")
        print(timing_table(ours))
        print()
        table, ratios = ratio_table(ours, theirs)
        print("Curvature against NumPy/SciPy: ours/theirs throughput (numpy s / curvature s)\n")
        print(table)
        if ratios:
            geometric_mean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            print(f"(geometric mean of the ratios: {geometric_mean:.3f})")
        print()

    if args.json:
        meta = dict(tool="numpy", suite="dense", repeats=args.repeat, sizes=sizes,
                    numpy=np.__version__, scipy=scipy.__version__, eigh_driver=args.eigh_driver,
                    processors=os.cpu_count(),
                    date=datetime.datetime.now(datetime.timezone.utc).isoformat())
        document = dict(meta=meta, blas=threadpoolctl.threadpool_info(), dense=theirs)
        if args.curvature:
            document["curvature"] = ours
        with open(args.json, "w") as f:
            json.dump(document, f, indent=2, sort_keys=True)
        print(f"wrote {len(theirs)} records to {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
