"""The scikit-learn reference of Tests/CurvatureAutodiffTests/ScikitLearnLogisticTests.swift:
LogisticRegression(C=0.5) (L2 on the weights, unpenalized intercept, lbfgs) on a fixed data set
of 24 samples and 3 features, binary and 3-class (multinomial), and an independent check of
both fits by Newton's method on the same objectives in float64 to a gradient below 1e-13.

    .build/pyvenv/bin/pip install scikit-learn
    .build/pyvenv/bin/python scripts/logistic_sklearn_reference.py

scikit-learn minimizes C Σᵢ logloss + ½‖W‖²; ModelObjective averages the data term, so the same
minimizer is λ = 1/(C·m) with the intercept excluded from the penalty. The printed coefficients
and intercepts are the constants of the Swift test (scikit-learn 1.9.1 agreed with the Newton
refinement to 2e-9).
"""

import numpy as np
from sklearn.linear_model import LogisticRegression

X = np.array([
    [2.04, -2.56, 0.42], [-0.57, -0.45, -0.22], [-2.02, -0.23, -0.87], [3.32, 0.23, -0.35],
    [-0.28, -0.67, -1.06], [-0.39, 0.48, -0.24], [0.96, -0.2, 0.02], [1.55, 0.55, -0.51],
    [-0.18, 0.54, 1.94], [-0.27, -0.24, 1.0], [-0.89, -0.29, 0.88], [0.58, 0.09, 0.67],
    [-2.83, 1.02, -0.96], [-1.67, 0.28, 0.7], [-0.44, -1.08, 0.03], [-0.05, 1.41, 0.75],
    [0.19, 1.11, -0.21], [-0.93, 0.58, 0.58], [-0.21, -0.78, 0.23], [-2.49, 0.69, 0.49],
    [-1.64, 0.06, -0.96], [0.76, -2.03, -0.91], [0.71, 1.16, -2.16], [-0.5, 0.33, -0.61]])
y_binary = np.array([1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0])
y_classes = np.array([0, 2, 1, 0, 2, 0, 0, 0, 1, 1, 0, 0, 2, 1, 0, 1, 1, 1, 0, 1, 1, 0, 2, 2])
C = 0.5


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def newton_binary(theta):
    a = np.hstack([X, np.ones((len(X), 1))])
    penalty = np.r_[np.ones(X.shape[1]), 0]
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a @ theta)))
        g = C * a.T @ (p - y_binary) + penalty * theta
        h = C * (a.T * (p * (1 - p))) @ a + np.diag(penalty)
        theta = theta - np.linalg.solve(h, g)
    return theta, np.abs(g).max()


def newton_multinomial(theta):
    k, d1 = theta.shape
    a = np.hstack([X, np.ones((len(X), 1))])
    t = np.eye(k)[y_classes]
    penalty = np.r_[np.ones(d1 - 1), 0]
    for _ in range(50):
        p = softmax(a @ theta.T)
        g = (C * (p - t).T @ a + theta * penalty).reshape(-1)
        h = np.diag(np.tile(penalty, k))
        for i in range(len(X)):
            s = np.diag(p[i]) - np.outer(p[i], p[i])
            h += C * np.kron(s, np.outer(a[i], a[i]))
        # The intercepts are defined up to a common shift: least squares picks the centered one.
        theta = theta - np.linalg.lstsq(h, g, rcond=None)[0].reshape(k, d1)
    theta[:, -1] -= theta[:, -1].mean()
    return theta, np.abs(g).max()


binary = LogisticRegression(C=C, tol=1e-14, max_iter=100000).fit(X, y_binary)
print("binary coef", binary.coef_.tolist(), "intercept", binary.intercept_.tolist())
refined, g = newton_binary(np.r_[binary.coef_[0], binary.intercept_])
print("  Newton refinement", refined.tolist(), "gradient", g)
multinomial = LogisticRegression(C=C, tol=1e-14, max_iter=100000).fit(X, y_classes)
print("multinomial coef", multinomial.coef_.tolist(), "intercept", multinomial.intercept_.tolist())
refined, g = newton_multinomial(np.hstack([multinomial.coef_, multinomial.intercept_[:, None]]))
print("  Newton refinement", refined.tolist(), "gradient", g)
