"""Writes a network-training problem file in the format of `curvature train ... --export-problem FILE`
from scikit-learn's digits (1797 8×8 images, pixels scaled to [0, 1] by /16), so that
scripts/train_peers.py can be run before the Swift side exports its own files.

    .build/peers-kfac/.venv-kfac/bin/python scripts/make_train_problem.py --kind mlp --out .build/digits-mlp.json
    .build/peers-kfac/.venv-kfac/bin/python scripts/make_train_problem.py --kind autoencoder --out .build/digits-ae.json

(any Python with numpy and scikit-learn will do; the venv is the one of scripts/train_peers.py.)

Kinds:
  mlp          64-32-10, tanh then identity, softmaxCrossEntropy on one-hot targets; test labels kept.
  autoencoder  64-256-128-32-128-256-64, tanh hidden layers, the 32-wide code layer identity
               (--code-activation tanh to change it), identity logits, sigmoidCrossEntropy with
               targets = inputs (in [0, 1]); test labels null.
  --widths/--activations/--loss override the kind's network (e.g. --loss squaredError).

Split: sklearn.model_selection.train_test_split(test_size=0.25, random_state=SEED, stratified by
the digit for both kinds), 1347 training and 450 test samples. Weights: W_l (out × in) entries
normal with standard deviation 1/sqrt(in) (LeCun), biases zero, from numpy's default_rng(SEED).
order: fresh permutations of 0..m-1 concatenated until the length reaches steps × batch_size.

The file (JSON, floats written with Python's shortest round-trip repr):
  name, widths (n0..nL), activations (one per layer: identity, tanh, relu, sigmoid, gelu), loss
  (softmaxCrossEntropy, sigmoidCrossEntropy or squaredError), l2 ((l2/2)·Σ‖W_l‖², biases not
  penalized), batch_size, steps, train {inputs, targets}, test {inputs, targets, labels or null},
  order, weights (per layer, out × in: z = W a + b), biases.
"""
import argparse
import json

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

ACTIVATIONS = ("identity", "tanh", "relu", "sigmoid", "gelu")
LOSSES = ("softmaxCrossEntropy", "sigmoidCrossEntropy", "squaredError")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", choices=("mlp", "autoencoder"), default="mlp")
    ap.add_argument("--out", required=True, help="the JSON file to write")
    ap.add_argument("--name", help="problem name (default digits-mlp / digits-autoencoder)")
    ap.add_argument("--widths", help="comma-separated n0..nL (n0 = 64; nL = 10 for classification, 64 for an autoencoder)")
    ap.add_argument("--activations", help="comma-separated, one per layer")
    ap.add_argument("--code-activation", default="identity", choices=ACTIVATIONS,
                    help="autoencoder: activation of the middle (code) layer (default identity)")
    ap.add_argument("--loss", choices=LOSSES)
    ap.add_argument("--l2", type=float, default=1e-5)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=a.seed, stratify=y)

    if a.kind == "mlp":
        widths, acts, loss = [64, 32, 10], ["tanh", "identity"], "softmaxCrossEntropy"
    else:
        widths = [64, 256, 128, 32, 128, 256, 64]
        acts = ["tanh", "tanh", a.code_activation, "tanh", "tanh", "identity"]
        loss = "sigmoidCrossEntropy"
    if a.widths:
        widths = [int(s) for s in a.widths.split(",")]
    if a.activations:
        acts = a.activations.split(",")
    if a.loss:
        loss = a.loss
    if len(acts) != len(widths) - 1 or any(s not in ACTIVATIONS for s in acts):
        ap.error(f"need {len(widths) - 1} activations from {ACTIVATIONS}, got {acts}")
    if widths[0] != 64:
        ap.error("digits inputs have 64 features: widths must start with 64")

    if a.kind == "mlp":
        Ttr, Tte, labels = np.eye(10)[ytr], np.eye(10)[yte], [int(v) for v in yte]
        if widths[-1] != 10:
            ap.error("mlp: the last width must be 10 (one-hot digits)")
    else:
        Ttr, Tte, labels = Xtr, Xte, None
        if widths[-1] != 64:
            ap.error("autoencoder: the last width must be 64 (targets = inputs)")

    rng = np.random.default_rng(a.seed)
    weights = [rng.standard_normal((widths[l + 1], widths[l])) / np.sqrt(widths[l])
               for l in range(len(widths) - 1)]
    biases = [np.zeros(widths[l + 1]) for l in range(len(widths) - 1)]
    m = len(Xtr)
    need = a.steps * a.batch_size
    order = []
    while len(order) < need:
        order.extend(int(i) for i in rng.permutation(m))

    problem = {
        "name": a.name or ("digits-mlp" if a.kind == "mlp" else "digits-autoencoder"),
        "widths": widths, "activations": acts, "loss": loss, "l2": a.l2,
        "batch_size": a.batch_size, "steps": a.steps,
        "train": {"inputs": Xtr.tolist(), "targets": Ttr.tolist()},
        "test": {"inputs": Xte.tolist(), "targets": Tte.tolist(), "labels": labels},
        "order": order,
        "weights": [W.tolist() for W in weights],
        "biases": [b.tolist() for b in biases],
    }
    with open(a.out, "w") as f:
        json.dump(problem, f)
    n = sum(W.size + b.size for W, b in zip(weights, biases))
    print(f"wrote {a.out}: {problem['name']}, widths {widths}, {acts}, {loss}, {n} parameters, "
          f"{m} train / {len(Xte)} test, batch {a.batch_size}, {a.steps} steps, order length {len(order)}")


if __name__ == "__main__":
    main()
