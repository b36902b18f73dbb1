"""Side-by-side peers of `curvature train` on an exported network-training problem: kfac-jax's
K-FAC (adaptive learning rate, momentum and damping) and optax's Adam, in JAX float64, on the
same network, starting weights and mini-batches as the Swift run.

Set up the venv once (kfac-jax 0.0.8 needs jax 0.7.2, so it has a venv of its own; the script
creates .venv-kfac beside itself, here under the git-ignored .build/, and ends with a 20-step
K-FAC smoke run on scikit-learn's digits):

    mkdir -p .build/peers-kfac
    cp ../shared/peers/setup-kfac.sh ../shared/peers/requirements-kfac.txt ../shared/peers/kfac_smoke.py .build/peers-kfac/
    bash .build/peers-kfac/setup-kfac.sh

(../shared is the project's shared/ folder beside the work tree; any copy of those three files
will do.) Then, with a problem file written by `curvature train ... --export-problem FILE`, or
by scripts/make_train_problem.py (scikit-learn's copy of the digits, random weights):

    .build/release/curvature train --model digits-mlp --export-problem .build/digits-mlp.json --optimizers kfac --passes 1
    .build/release/curvature train --model digits-autoencoder --export-problem .build/digits-ae.json --optimizers kfac --passes 1
    .build/peers-kfac/.venv-kfac/bin/python scripts/train_peers.py --problem .build/digits-mlp.json
    .build/peers-kfac/.venv-kfac/bin/python scripts/train_peers.py --problem .build/digits-ae.json \\
        --steps 100 --record 10 --threads 1 --json .build/digits-ae-peers.json

Options: --problem FILE (required), --steps N (default the file's steps), --optimizers kfac,adam,
--adam-lr 1e-3, --record K (full-training-set loss every K steps, at step 0 and at the end;
default max(1, steps/20)), --json OUT, --threads N, --lapack-threads 1, --seed 0 (the PRNG key
K-FAC's curvature estimator samples with), --no-warmup, --quiet, and for K-FAC
--kfac-initial-damping 1.0, --kfac-burnin 0, --kfac-inverse-period 5, --kfac-damping-interval 5,
--kfac-curvature-ema 0.95, --kfac-estimation-mode (default kfac-jax's own, ggn_curvature_prop:
one random curvature-propagation sample per case; ggn_exact is exact per batch), --kfac-l2-reg
(default the problem's l2; see below) and --kfac-check-registration (prints, once, kfac-jax's
loss recomputed from the registered loss tags against the loss function's: a relative
difference of 0 says the registration matches; kfac-jax adds l2_reg/2·‖θ‖² over all parameters
there, biases included).

--threads 1 sets XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
(appended to any XLA_FLAGS already set) before jax is imported: XLA's CPU backend then runs
its matrix products and the rest single-threaded. XLA has no flag for another thread count, so
--threads N > 1 only pins the process to the first N processors (os.sched_setaffinity); without
--threads XLA uses all processors. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE need not be unset (XLA
does its own matrix products), but jaxlib's CPU LAPACK calls (the eigh, inverses and Cholesky
factorizations of K-FAC's inverse updates) go to the OpenBLAS bundled with SciPy, whose own
thread pool fights XLA's: on this 2-core machine under load a 65 × 65 inverse took 30 ms instead
of 0.14 ms. So the script sets OPENBLAS_NUM_THREADS to --lapack-threads (default 1) before jax
is imported, unless OPENBLAS_NUM_THREADS is already set.

The problem (format of --export-problem): widths n0..nL, one activation per layer (identity,
tanh, relu, sigmoid, gelu = exact erf GELU), z_l = W_l a_{l-1} + b_l with W_l out × in (here
x @ W_l.T + b_l; the JAX parameters hold W_l.T, in × out, the shape kfac-jax's dense-layer
pattern matches), loss per sample softmaxCrossEntropy (logsumexp(z) − tᵀz), sigmoidCrossEntropy
(Σ softplus(z) − t·z, targets in [0, 1]) or squaredError (½‖z − t‖²) on the last layer's
output, averaged over the batch, plus (l2/2)·Σ_l ‖W_l‖² (biases not penalized). Step k (from 0)
uses the rows order[(k·B + i) mod len(order)], i < B, of the training set: order[k·B:(k+1)·B]
when the file's order is long enough (a warning says when it wraps).

How each optimizer sees the objective:
  adam  optax.adam(--adam-lr) on the gradient of the whole objective (the l2 term coupled into
        the gradient, not decoupled AdamW decay).
  kfac  kfac_jax.Optimizer with use_adaptive_learning_rate, use_adaptive_momentum and
        use_adaptive_damping (Levenberg-Marquardt on the damping every --kfac-damping-interval
        steps), initial_damping --kfac-initial-damping, layers registered automatically (graph
        matcher) and the loss registered by hand: register_softmax_cross_entropy_loss(z, t),
        register_sigmoid_cross_entropy_loss(z, t) or register_squared_error_loss(z, t,
        weight=0.5) (kfac-jax's squared error is Σ(z − t)²/B, so ½ needs weight 0.5).
        kfac-jax's l2_reg does not add anything to the loss: it only tells the optimizer the
        coefficient, which it adds (l2_reg + damping) to the identity term of every block's
        preconditioner, biases included, and uses as the l2 term of the exact quadratic model
        behind the adaptive learning rate, momentum and damping, there without the parameters
        that regularized_parameters_path_exclusions names. So the loss function adds the
        weight-only penalty itself, l2_reg = the problem's l2 (override with --kfac-l2-reg, e.g.
        0 to keep it out of the curvature), and regularized_parameters_path_exclusions="b" keeps
        the biases out of the quadratic model's l2 term. num_burnin_steps defaults to 0 (kfac-
        jax's default is 10, which needs a data_iterator and would take ten more batches): with
        --kfac-burnin N, the first step first accumulates the curvature on batches 0..N−1 of the
        order, then steps on batch 0 as usual, so the steps keep the Swift batches.

Timing: each optimizer first runs a throwaway warm-up from the same starting point (kfac: the
first --kfac-damping-interval steps, since kfac-jax compiles a second variant of its step for
the damping-adaptation steps; adam: one step), reported as "warm-up s" (mostly tracing and
compiling); --no-warmup skips it, and then the first step compiles. The timed run starts again
from the file's weights; every step is timed with its mini-batch already gathered on the device
and ends when its results are ready (jax.block_until_ready). The first timed step is reported
apart; ms/step median and mean are over the other steps. K-FAC's mean includes its periodic
inverse updates (every --kfac-inverse-period steps), which the median mostly leaves out; steps
over 5× the median are listed (inverse updates, a recompilation, or a busy machine). Full-set losses are evaluated between steps, outside the timings.

Train loss = the objective (mean loss + l2 term) on the whole training set; test loss = the mean
loss without the l2 term; test accuracy = argmax of the output against test.labels (or against
argmax of test.targets when labels is null and the loss is softmaxCrossEntropy), only for
classification. --json writes all of it, with every step's seconds, the loss history and
kfac-jax's last learning rate, momentum, damping and rho.
"""
import argparse
import json
import os
import statistics
import sys
import time


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--problem", required=True, help="problem JSON (curvature train --export-problem)")
    ap.add_argument("--steps", type=int, help="number of steps (default: the file's steps)")
    ap.add_argument("--optimizers", default="kfac,adam", help="comma-separated from kfac, adam")
    ap.add_argument("--adam-lr", type=float, default=1e-3)
    ap.add_argument("--record", type=int, help="full-training-set loss every K steps (default steps/20)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--threads", type=int, help="1: single-threaded XLA; N > 1: pin to N processors")
    ap.add_argument("--lapack-threads", type=int, default=1,
                    help="OPENBLAS_NUM_THREADS for jaxlib's LAPACK calls, unless already set (default 1)")
    ap.add_argument("--seed", type=int, default=0, help="PRNG seed of K-FAC's curvature sampling")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    ap.add_argument("--no-warmup", action="store_true",
                    help="no throwaway compiling run before the timed one (then the first step compiles)")
    ap.add_argument("--kfac-initial-damping", type=float, default=1.0)
    ap.add_argument("--kfac-burnin", type=int, default=0)
    ap.add_argument("--kfac-inverse-period", type=int, default=5)
    ap.add_argument("--kfac-damping-interval", type=int, default=5)
    ap.add_argument("--kfac-curvature-ema", type=float, default=0.95)
    ap.add_argument("--kfac-estimation-mode", default=None,
                    help="kfac-jax estimation_mode, e.g. ggn_curvature_prop (its default), ggn_exact, fisher_exact")
    ap.add_argument("--kfac-l2-reg", type=float, default=None,
                    help="l2_reg told to kfac-jax (default: the problem's l2)")
    ap.add_argument("--kfac-check-registration", action="store_true",
                    help="print kfac-jax's loss from the registered loss against the loss function's")
    a = ap.parse_args()
    bad = [o for o in a.optimizers.split(",") if o not in ("kfac", "adam")]
    if bad:
        ap.error(f"unknown optimizers {bad}")
    return a


args = parse_args()
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.lapack_threads))
if args.threads == 1:
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                               " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()
elif args.threads and args.threads > 1 and hasattr(os, "sched_setaffinity"):
    cpus = sorted(os.sched_getaffinity(0))[:args.threads]
    os.sched_setaffinity(0, cpus)

import warnings  # noqa: E402

# kfac-jax donates its batch argument during burn-in, which XLA cannot reuse: harmless.
warnings.filterwarnings("ignore", message="Some donated buffers were not usable")
import numpy as np  # noqa: E402
import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402
import kfac_jax  # noqa: E402
from importlib import metadata  # noqa: E402

ACTS = {
    "identity": lambda z: z,
    "tanh": jnp.tanh,
    "relu": jax.nn.relu,
    "sigmoid": jax.nn.sigmoid,
    "gelu": lambda z: jax.nn.gelu(z, approximate=False),
}
LOSSES = ("softmaxCrossEntropy", "sigmoidCrossEntropy", "squaredError")


def log(msg):
    if not args.quiet:
        print(msg, file=sys.stderr, flush=True)


def version(dist, module=None):
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return getattr(module, "__version__", "?")


# ---------------------------------------------------------------- problem

with open(args.problem) as f:
    P = json.load(f)
widths, acts, loss_name, l2 = P["widths"], P["activations"], P["loss"], float(P.get("l2", 0.0))
B = int(P["batch_size"])
steps = args.steps if args.steps is not None else int(P["steps"])
record = args.record or max(1, steps // 20)
if loss_name not in LOSSES:
    sys.exit(f"unknown loss {loss_name!r}; expected one of {LOSSES}")
if len(acts) != len(widths) - 1 or any(s not in ACTS for s in acts):
    sys.exit(f"need {len(widths) - 1} activations from {tuple(ACTS)}, got {acts}")
if loss_name != "squaredError" and acts[-1] != "identity":
    log(f"note: last activation {acts[-1]} feeds {loss_name} as its logits")

Xtr = jnp.asarray(np.asarray(P["train"]["inputs"], dtype=np.float64))
Ttr = jnp.asarray(np.asarray(P["train"]["targets"], dtype=np.float64))
Xte = jnp.asarray(np.asarray(P["test"]["inputs"], dtype=np.float64))
Tte = jnp.asarray(np.asarray(P["test"]["targets"], dtype=np.float64))
m = Xtr.shape[0]
labels = P["test"].get("labels")
if labels is None and loss_name == "softmaxCrossEntropy":
    labels = np.argmax(np.asarray(P["test"]["targets"]), axis=1).tolist()
labels = None if labels is None else jnp.asarray(np.asarray(labels, dtype=np.int64))
order = np.asarray(P["order"], dtype=np.int64)
if len(order) < steps * B:
    log(f"warning: order has {len(order)} entries < steps × batch = {steps * B}: it wraps around")
for l, (W, b) in enumerate(zip(P["weights"], P["biases"])):
    if np.shape(W) != (widths[l + 1], widths[l]) or np.shape(b) != (widths[l + 1],):
        sys.exit(f"layer {l}: W {np.shape(W)}, b {np.shape(b)}; expected ({widths[l + 1]}, {widths[l]}), ({widths[l + 1]},)")
n_params = sum(widths[l] * widths[l + 1] + widths[l + 1] for l in range(len(widths) - 1))


def initial_params():
    # Fresh buffers every call: kfac-jax donates its parameter arguments.
    return [{"w": jnp.asarray(np.asarray(W, dtype=np.float64).T), "b": jnp.asarray(np.asarray(b, dtype=np.float64))}
            for W, b in zip(P["weights"], P["biases"])]


def batch_indices(k):
    return np.take(order, np.arange(k * B, (k + 1) * B), mode="wrap")


# ---------------------------------------------------------------- model and loss

def forward(params, x):
    a = x
    for layer, act in zip(params, acts):
        a = ACTS[act](a @ layer["w"] + layer["b"])
    return a


def data_loss(z, t):
    if loss_name == "softmaxCrossEntropy":
        per = jax.nn.logsumexp(z, axis=-1) - jnp.sum(t * z, axis=-1)
    elif loss_name == "sigmoidCrossEntropy":
        per = jnp.sum(jax.nn.softplus(z) - t * z, axis=-1)
    else:
        per = 0.5 * jnp.sum((z - t) ** 2, axis=-1)
    return jnp.mean(per)


def penalty(params):
    return 0.5 * l2 * sum(jnp.sum(layer["w"] ** 2) for layer in params)


def objective(params, x, t):
    return data_loss(forward(params, x), t) + penalty(params)


def kfac_loss(params, batch):
    x, t = batch
    z = forward(params, x)
    if loss_name == "softmaxCrossEntropy":
        kfac_jax.register_softmax_cross_entropy_loss(z, t)
    elif loss_name == "sigmoidCrossEntropy":
        kfac_jax.register_sigmoid_cross_entropy_loss(z, t)
    else:
        kfac_jax.register_squared_error_loss(z, t, weight=0.5)
    return data_loss(z, t) + penalty(params)


@jax.jit
def gather(x, t, idx):
    return x[idx], t[idx]


@jax.jit
def train_loss(params):
    return objective(params, Xtr, Ttr)


@jax.jit
def test_metrics(params):
    z = forward(params, Xte)
    acc = jnp.mean(jnp.argmax(z, axis=-1) == labels) if labels is not None else jnp.nan
    return data_loss(z, Tte), acc


def get_batch(k):
    x, t = gather(Xtr, Ttr, jnp.asarray(batch_indices(k)))
    return jax.block_until_ready((x, t))


# ---------------------------------------------------------------- optimizers

def warm_up(init, step, n):
    """Runs n throwaway steps from the starting point so that every jitted variant is compiled."""
    t0 = time.perf_counter()
    carry = init(initial_params())
    for k in range(n):
        carry, params, bl, extra = step(carry, k, get_batch(k))
        jax.block_until_ready((params, bl, extra))
    return time.perf_counter() - t0


def run(name, init, step, warmup_steps):
    """init(params) -> carry; step(carry, k, batch) -> (carry, params, batch_loss, extra)."""
    compile_seconds = warm_up(init, step, warmup_steps) if warmup_steps > 0 else None
    if compile_seconds is not None:
        log(f"{name}: warm-up ({warmup_steps} throwaway steps, compiling) {compile_seconds:.3f} s")
    params = initial_params()
    history = [{"step": 0, "train_loss": float(train_loss(params))}]
    t0 = time.perf_counter()
    carry = init(params)
    init_seconds = time.perf_counter() - t0
    times, extra = [], {}
    for k in range(steps):
        batch = get_batch(k)
        t0 = time.perf_counter()
        carry, params, bl, extra = step(carry, k, batch)
        jax.block_until_ready((params, bl, extra))
        times.append(time.perf_counter() - t0)
        if (k + 1) % record == 0 or k + 1 == steps:
            history.append({"step": k + 1, "train_loss": float(train_loss(params)), "batch_loss": float(bl)})
            log(f"{name} step {k + 1}: train loss {history[-1]['train_loss']:.6g}, "
                f"batch loss {float(bl):.6g}, {times[-1] * 1e3:.2f} ms")
    tl, acc = test_metrics(params)
    rest = times[1:]
    med = statistics.median(rest) if rest else float("nan")
    slow = [{"step": i + 1, "seconds": s} for i, s in enumerate(rest, start=1) if s > 5 * med][:10] if rest else []
    return {
        "steps": steps,
        "warmup_steps": warmup_steps,
        "warmup_seconds": compile_seconds,
        "init_seconds": init_seconds,
        "first_step_seconds": times[0] if times else float("nan"),
        "seconds_per_step_median": med,
        "seconds_per_step_mean": statistics.fmean(rest) if rest else float("nan"),
        "slow_steps": slow,
        "step_seconds": times,
        "history": history,
        "final_train_loss": history[-1]["train_loss"],
        "test_loss": float(tl),
        "test_accuracy": None if labels is None else float(acc),
        "final": {k: float(v) for k, v in extra.items()},
    }


def run_adam():
    tx = optax.adam(args.adam_lr)

    @jax.jit
    def adam_step(params, opt_state, x, t):
        loss, grads = jax.value_and_grad(objective)(params, x, t)
        updates, opt_state = tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    def init(params):
        return (params, jax.block_until_ready(tx.init(params)))

    def step(carry, k, batch):
        params, opt_state = carry
        params, opt_state, loss = adam_step(params, opt_state, *batch)
        return (params, opt_state), params, loss, {}

    r = run("adam", init, step, 0 if args.no_warmup else 1)
    r["settings"] = {"learning_rate": args.adam_lr, "b1": 0.9, "b2": 0.999, "eps": 1e-8}
    return r


def run_kfac():
    l2_reg = l2 if args.kfac_l2_reg is None else args.kfac_l2_reg
    settings = dict(
        l2_reg=l2_reg,
        regularized_parameters_path_exclusions="b",
        use_adaptive_learning_rate=True,
        use_adaptive_momentum=True,
        use_adaptive_damping=True,
        initial_damping=args.kfac_initial_damping,
        damping_adaptation_interval=args.kfac_damping_interval,
        num_burnin_steps=args.kfac_burnin,
        inverse_update_period=args.kfac_inverse_period,
        curvature_ema=args.kfac_curvature_ema,
        multi_device=False,
    )
    if args.kfac_estimation_mode:
        settings["estimation_mode"] = args.kfac_estimation_mode
    opt = kfac_jax.Optimizer(value_and_grad_func=jax.value_and_grad(kfac_loss),
                             include_registered_loss_in_stats=args.kfac_check_registration,
                             **settings)
    key = jax.random.PRNGKey(args.seed)
    keys = {}

    def init(params):
        key_init, keys["key"] = jax.random.split(key)
        state = opt.init(params, key_init, get_batch(0))
        return (params, jax.block_until_ready(state))

    def step(carry, k, batch):
        params, state = carry
        keys["key"], sub = jax.random.split(keys["key"])
        if k == 0 and args.kfac_burnin > 0:
            it = iter([get_batch(j) for j in range(args.kfac_burnin)] + [batch])
            params, state, stats = opt.step(params, state, sub, data_iterator=it, global_step_int=k)
        else:
            params, state, stats = opt.step(params, state, sub, batch=batch, global_step_int=k)
        if args.kfac_check_registration and k == 0 and not keys.get("checked"):
            keys["checked"] = True
            log(f"kfac registration check, step 1: loss {float(stats['loss']):.10g}, from registrations "
                f"{float(stats['loss_registered']):.10g} (l2_reg/2·‖θ‖² over all parameters added), "
                f"relative difference {float(stats['loss_registered_reldiff']):.3g}")
        extra = {s: stats[s] for s in ("learning_rate", "momentum", "damping", "rho") if s in stats}
        return (params, state), params, stats["loss"], extra

    r = run("kfac", init, step, 0 if args.no_warmup else min(steps, args.kfac_damping_interval))
    r["settings"] = {k: v for k, v in settings.items()}
    r["settings"]["estimation_mode"] = args.kfac_estimation_mode or "kfac-jax default (ggn_curvature_prop)"
    return r


# ---------------------------------------------------------------- main

versions = {"python": sys.version.split()[0], "jax": jax.__version__, "jaxlib": version("jaxlib"),
            "kfac_jax": version("kfac-jax", kfac_jax), "optax": version("optax", optax),
            "numpy": np.__version__}
print(f"jax {versions['jax']} (jaxlib {versions['jaxlib']}), kfac_jax {versions['kfac_jax']}, "
      f"optax {versions['optax']}, numpy {versions['numpy']}, python {versions['python']}; "
      f"device {jax.devices()[0].platform}, float64 {jax.config.jax_enable_x64}, "
      f"threads {'1 (XLA_FLAGS)' if args.threads == 1 else args.threads or 'all'}, "
      f"OPENBLAS_NUM_THREADS {os.environ.get('OPENBLAS_NUM_THREADS')}")
print(f"problem {P.get('name', args.problem)}: widths {widths}, {acts}, {loss_name}, l2 {l2:g}, "
      f"{n_params} parameters, {m} train / {Xte.shape[0]} test, batch {B}, {steps} steps")

results = {}
for name in args.optimizers.split(","):
    results[name] = run_kfac() if name == "kfac" else run_adam()


def fmt(v, spec):
    return "-" if v is None or (isinstance(v, float) and v != v) else format(v, spec)


print()
print(f"{'optimizer':<10} {'steps':>6} {'warm-up s':>10} {'first step ms':>14} {'ms/step median':>15} {'ms/step mean':>13} "
      f"{'train loss start':>17} {'train loss end':>15} {'test loss':>10} {'test acc':>9}")
for name, r in results.items():
    print(f"{name:<10} {r['steps']:>6} {fmt(r['warmup_seconds'], '.3f'):>10} {r['first_step_seconds'] * 1e3:>14.3f} "
          f"{r['seconds_per_step_median'] * 1e3:>15.3f} {r['seconds_per_step_mean'] * 1e3:>13.3f} "
          f"{r['history'][0]['train_loss']:>17.6g} {r['final_train_loss']:>15.6g} {r['test_loss']:>10.6g} "
          f"{fmt(r['test_accuracy'], '.4f'):>9}")
for name, r in results.items():
    if r["slow_steps"]:
        what = "inverse updates, recompilation or load" if name == "kfac" else "recompilation or load"
        print(f"{name}: steps over 5× the median ({what}): " +
              ", ".join(f"{s['step']} ({s['seconds']:.3f} s)" for s in r["slow_steps"]))
    if r["final"]:
        print(f"{name}: last step " + ", ".join(f"{k} {v:.4g}" for k, v in r["final"].items()))

print()
names = list(results)
print(f"{'step':>6} " + " ".join(f"{n + ' train loss':>18}" for n in names))
rows = sorted({h["step"] for r in results.values() for h in r["history"]})
for s in rows:
    cells = []
    for n in names:
        h = next((h for h in results[n]["history"] if h["step"] == s), None)
        cells.append(f"{fmt(h and h['train_loss'], '.6g'):>18}")
    print(f"{s:>6} " + " ".join(cells))

if args.json:
    out = {"problem": P.get("name", args.problem), "problem_file": args.problem, "widths": widths,
           "activations": acts, "loss": loss_name, "l2": l2, "batch_size": B, "parameters": n_params,
           "versions": versions, "threads": args.threads,
           "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"), "xla_flags": os.environ.get("XLA_FLAGS", ""),
           "record": record, "optimizers": results}
    with open(args.json, "w") as f:
        json.dump(out, f, indent=1)
    print(f"\nwrote {args.json}")
