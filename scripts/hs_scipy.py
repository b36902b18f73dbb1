"""SciPy SLSQP and trust-constr on the Hock-Schittkowski problems of CurvatureProblems (same x0, analytic
gradients and Jacobians). Prints iterations / function evaluations / gradient evaluations.
Run: python3 scripts/hs_scipy.py (needs numpy and scipy)."""
import warnings
import numpy as np
from scipy.optimize import minimize, Bounds as SBounds
warnings.filterwarnings("ignore")
inf = np.inf
P = {}
def prob(name, f, g, x0, fstar, eq=None, eqj=None, ineq=None, ineqj=None, lb=None, ub=None):
    P[name] = dict(f=f, g=g, x0=np.array(x0, float), fstar=fstar, eq=eq, eqj=eqj, ineq=ineq, ineqj=ineqj, lb=lb, ub=ub)
prob("hs006", lambda x: (1-x[0])**2, lambda x: np.array([-2*(1-x[0]), 0]), [-1.2, 1], 0,
     eq=lambda x: np.array([10*(x[1]-x[0]**2)]), eqj=lambda x: np.array([[-20*x[0], 10]]))
prob("hs007", lambda x: np.log(1+x[0]**2)-x[1], lambda x: np.array([2*x[0]/(1+x[0]**2), -1]), [2, 2], -np.sqrt(3),
     eq=lambda x: np.array([(1+x[0]**2)**2+x[1]**2-4]), eqj=lambda x: np.array([[4*x[0]*(1+x[0]**2), 2*x[1]]]))
prob("hs021", lambda x: 0.01*x[0]**2+x[1]**2-100, lambda x: np.array([0.02*x[0], 2*x[1]]), [-1, -1], -99.96,
     ineq=lambda x: np.array([10*x[0]-x[1]-10]), ineqj=lambda x: np.array([[10., -1]]), lb=[2, -50], ub=[50, 50])
prob("hs028", lambda x: (x[0]+x[1])**2+(x[1]+x[2])**2,
     lambda x: np.array([2*(x[0]+x[1]), 2*(x[0]+x[1])+2*(x[1]+x[2]), 2*(x[1]+x[2])]), [-4, 1, 1], 0,
     eq=lambda x: np.array([x[0]+2*x[1]+3*x[2]-1]), eqj=lambda x: np.array([[1., 2, 3]]))
prob("hs035", lambda x: 9-8*x[0]-6*x[1]-4*x[2]+2*x[0]**2+2*x[1]**2+x[2]**2+2*x[0]*x[1]+2*x[0]*x[2],
     lambda x: np.array([-8+4*x[0]+2*x[1]+2*x[2], -6+4*x[1]+2*x[0], -4+2*x[2]+2*x[0]]), [0.5]*3, 1/9,
     ineq=lambda x: np.array([3-x[0]-x[1]-2*x[2]]), ineqj=lambda x: np.array([[-1., -1, -2]]), lb=[0]*3, ub=[inf]*3)
prob("hs039", lambda x: -x[0], lambda x: np.array([-1., 0, 0, 0]), [2]*4, -1,
     eq=lambda x: np.array([x[1]-x[0]**3-x[2]**2, x[0]**2-x[1]-x[3]**2]),
     eqj=lambda x: np.array([[-3*x[0]**2, 1, -2*x[2], 0], [2*x[0], -1, 0, -2*x[3]]]))
prob("hs040", lambda x: -x[0]*x[1]*x[2]*x[3],
     lambda x: np.array([-x[1]*x[2]*x[3], -x[0]*x[2]*x[3], -x[0]*x[1]*x[3], -x[0]*x[1]*x[2]]), [0.8]*4, -0.25,
     eq=lambda x: np.array([x[0]**3+x[1]**2-1, x[0]**2*x[3]-x[2], x[3]**2-x[1]]),
     eqj=lambda x: np.array([[3*x[0]**2, 2*x[1], 0, 0], [2*x[0]*x[3], 0, -1, x[0]**2], [0, -1, 0, 2*x[3]]]))
prob("hs043", lambda x: x[0]**2+x[1]**2+2*x[2]**2+x[3]**2-5*x[0]-5*x[1]-21*x[2]+7*x[3],
     lambda x: np.array([2*x[0]-5, 2*x[1]-5, 4*x[2]-21, 2*x[3]+7]), [0]*4, -44,
     ineq=lambda x: np.array([8-x@x-x[0]+x[1]-x[2]+x[3], 10-x[0]**2-2*x[1]**2-x[2]**2-2*x[3]**2+x[0]+x[3],
                             5-2*x[0]**2-x[1]**2-x[2]**2-2*x[0]+x[1]+x[3]]),
     ineqj=lambda x: np.array([[-2*x[0]-1, -2*x[1]+1, -2*x[2]-1, -2*x[3]+1], [-2*x[0]+1, -4*x[1], -2*x[2], -4*x[3]+1],
                              [-4*x[0]-2, -2*x[1]+1, -2*x[2], 1]]))
prob("hs071", lambda x: x[0]*x[3]*(x[0]+x[1]+x[2])+x[2],
     lambda x: np.array([x[3]*(2*x[0]+x[1]+x[2]), x[0]*x[3], x[0]*x[3]+1, x[0]*(x[0]+x[1]+x[2])]), [1, 5, 5, 1], 17.0140173,
     eq=lambda x: np.array([x@x-40]), eqj=lambda x: np.array([2*x]),
     ineq=lambda x: np.array([x[0]*x[1]*x[2]*x[3]-25]),
     ineqj=lambda x: np.array([[x[1]*x[2]*x[3], x[0]*x[2]*x[3], x[0]*x[1]*x[3], x[0]*x[1]*x[2]]]), lb=[1]*4, ub=[5]*4)
prob("hs076", lambda x: x[0]**2+0.5*x[1]**2+x[2]**2+0.5*x[3]**2-x[0]*x[2]+x[2]*x[3]-x[0]-3*x[1]+x[2]-x[3],
     lambda x: np.array([2*x[0]-x[2]-1, x[1]-3, 2*x[2]-x[0]+x[3]+1, x[3]+x[2]-1]), [0.5]*4, -103/22,
     ineq=lambda x: np.array([5-x[0]-2*x[1]-x[2]-x[3], 4-3*x[0]-x[1]-2*x[2]+x[3], x[1]+4*x[2]-1.5]),
     ineqj=lambda x: np.array([[-1., -2, -1, -1], [-3, -1, -2, 1], [0, 1, 4, 0]]), lb=[0]*4, ub=[inf]*4)
prob("hs100", lambda x: (x[0]-10)**2+5*(x[1]-12)**2+x[2]**4+3*(x[3]-11)**2+10*x[4]**6+7*x[5]**2+x[6]**4-4*x[5]*x[6]-10*x[5]-8*x[6],
     lambda x: np.array([2*(x[0]-10), 10*(x[1]-12), 4*x[2]**3, 6*(x[3]-11), 60*x[4]**5, 14*x[5]-4*x[6]-10, 4*x[6]**3-4*x[5]-8]),
     [1, 2, 0, 4, 0, 1, 1], 680.6300573,
     ineq=lambda x: np.array([127-2*x[0]**2-3*x[1]**4-x[2]-4*x[3]**2-5*x[4], 282-7*x[0]-3*x[1]-10*x[2]**2-x[3]+x[4],
                             196-23*x[0]-x[1]**2-6*x[5]**2+8*x[6], -4*x[0]**2-x[1]**2+3*x[0]*x[1]-2*x[2]**2-5*x[5]+11*x[6]]),
     ineqj=lambda x: np.array([[-4*x[0], -12*x[1]**3, -1, -8*x[3], -5, 0, 0], [-7, -3, -20*x[2], -1, 1, 0, 0],
                              [-23, -2*x[1], 0, 0, 0, -12*x[5], 8], [-8*x[0]+3*x[1], -2*x[1]+3*x[0], -4*x[2], 0, 0, -5, 11]]))
prob("rosenbrock_disk", lambda x: (1-x[0])**2+100*(x[1]-x[0]**2)**2,
     lambda x: np.array([-2*(1-x[0])-400*x[0]*(x[1]-x[0]**2), 200*(x[1]-x[0]**2)]), [0, 0], 0.0456748087,
     ineq=lambda x: np.array([1-x[0]**2-x[1]**2]), ineqj=lambda x: np.array([[-2*x[0], -2*x[1]]]))

class Count:
    def __init__(s, p): s.p, s.nf, s.ng = p, 0, 0
    def f(s, x): s.nf += 1; return s.p["f"](x)
    def g(s, x): s.ng += 1; return s.p["g"](x)

def run(name, method):
    p = P[name]; c = Count(p)
    cons = []
    if p["eq"]: cons.append(dict(type="eq", fun=p["eq"], jac=p["eqj"]))
    if p["ineq"]: cons.append(dict(type="ineq", fun=p["ineq"], jac=p["ineqj"]))
    b = SBounds(p["lb"], p["ub"]) if p["lb"] is not None else None
    opts = dict(maxiter=1000) if method == "SLSQP-default" else dict(ftol=1e-10, maxiter=1000) if method == "SLSQP" else dict(gtol=1e-8, xtol=1e-12, maxiter=5000)
    r = minimize(c.f, p["x0"], jac=c.g, method=method.replace("-default", ""), constraints=cons, bounds=b, options=opts)
    err = abs(r.fun - p["fstar"]) / max(1, abs(p["fstar"]))
    return r.nit, c.nf, c.ng, err, r.success

print(f"{'problem':16} | {'SLSQP it/nf/ng  relerr':28} | {'trust-constr it/nf/ng  relerr':32}")
for name in P:
    a = run(name, "SLSQP"); t = run(name, "trust-constr")
    print(f"{name:16} | {a[0]:3d}/{a[1]:3d}/{a[2]:3d}  {a[3]:8.1e} {'ok' if a[4] else 'FAIL':4} | {t[0]:4d}/{t[1]:4d}/{t[2]:4d}  {t[3]:8.1e} {'ok' if t[4] else 'FAIL'}")
print()
print("SLSQP with default options (ftol=1e-6):")
for name in P:
    a = run(name, "SLSQP-default")
    print(f"{name:16} | {a[0]:3d}/{a[1]:3d}/{a[2]:3d}  {a[3]:8.1e} {'ok' if a[4] else 'FAIL'}")
