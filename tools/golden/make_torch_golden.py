#!/usr/bin/python3
"""Golden derivatives for Solstice from an independent implementation: PyTorch (with functorch), float64.

Run from the repository root with Debian's Python, which has PyTorch 1.13 and functorch:

    /usr/bin/python3 tools/golden/make_torch_golden.py

It writes solstice/src/test/resources/golden/torch_golden.txt, which TorchGoldenTest reads (the Java suite never
needs Python). Every function below has a twin, written with Jnp/Nn, in
solstice/src/test/java/dev/solstice/golden/TorchGoldenTest.java, under the same name; keep the two lists in step.

What is computed, per entry (see the header of the data file for its format):
  jacobian  d f(x) / d x, shape out + in                       (f any array-valued function)
  hessian   d^2 f / dx^2, shape in + in                         (f scalar-valued)
  third     d^3 f / dx^3, shape in + in + in                    (f scalar-valued)
Each derivative is computed with every functorch composition of jacfwd/jacrev that torch supports for that
function (2 for a Jacobian, 4 for a Hessian, 8 for a third derivative); the ones that run must agree to
1e-12 (else this script stops), and the value of the first in the order listed in MODES is written.
functorch, unlike torch.autograd.grad, gives real zeros (not None/errors) for derivatives of
piecewise-linear derivatives, which is also JAX's (and Solstice's) convention.

Points are a mix of smooth points and kinks; a kink is included only where PyTorch's convention equals
JAX's (derivative-conventions.md), checked by hand with this torch version:
  agree (kinks included):
    relu at 0: f' = 0, f'' = 0;  relu6 at 0 and 6: f' = 0;  hardsigmoid = relu6(x+3)/6 at -3 and 3: f' = 0
    elu, selu, celu at 0: f' (alpha, scale*alpha, 1) -- first derivative only, see below
    maximum/minimum ties: 1/2 to each argument (torch: where(a == b, g/2, g)); second derivatives follow
    amax/amin/max over axes with k-way ties: 1/k to each tied element (torch: grad / count)
    prod with a zero element: torch's special-cased backward gives the exact products (checked against
      exact_prod), except forward mode through it at third order: see TORCH_BAD_MODES
    where(c, a, b) at points where c changes: both take the derivative of the chosen branch only
  disagree (kinks excluded, documented here so no one adds them back):
    leaky_relu at 0: torch f' = negative_slope (0.01), JAX f' = 1 (where(x >= 0, ...))
    hardtanh at -1 and 1: torch f' = 0, JAX f' = 1
    abs at 0: torch f' = sign(0) = 0, JAX f' = 1
    clamp/clip at a bound: torch f' = 1, JAX f' = 0.5 (min/max balanced tie)
    elu, selu at 0: torch f'' = 0 (double backward takes the linear branch), JAX f'' = alpha (expm1 branch)
    celu at 0: torch f'' = 0, JAX f'' = 0.25/alpha (two balanced ties)
Torch functions not used, and why:
    F.hardsigmoid: its backward returns 1/6 rounded to float32 (0.1666666716337204) even for float64, and
      has no second derivative at all; the script uses its definition relu6(x + 3) / 6 instead.
    F.softplus has a linear cut-off above x = 20 (threshold); all points here are far below it.
"""

import itertools
import math
import os
import sys

import functorch
import torch
import torch.nn.functional as F
from functorch import jacfwd, jacrev

torch.set_default_dtype(torch.float64)

OUT = os.path.join("solstice", "src", "test", "resources", "golden", "torch_golden.txt")
TOL = 1e-12

MODES = {
    "jacobian": [("rev",), ("fwd",)],
    "hessian": [("fwd", "rev"), ("rev", "rev"), ("fwd", "fwd"), ("rev", "fwd")],
    "third": [("fwd", "fwd", "rev"), ("rev", "rev", "rev"), ("fwd", "fwd", "fwd"), ("rev", "rev", "fwd"),
              ("fwd", "rev", "rev"), ("rev", "fwd", "rev"), ("fwd", "rev", "fwd"), ("rev", "fwd", "fwd")],
}


def t(values):
    return torch.tensor(values, dtype=torch.float64)


# ---- fixed weights (the same literals appear in TorchGoldenTest.java) ---------------------------------------

C4 = t([1.0, -2.0, 0.5, 3.0])
W34 = t([[0.5, -1.0, 0.25, 2.0], [1.5, 0.75, -0.5, -1.25], [-0.3, 0.9, 1.1, 0.4]])
A44 = t([[2.0, -1.0, 0.5, 0.0], [0.3, 1.5, -0.7, 1.2], [-0.4, 0.8, 3.0, -1.1], [1.0, 0.0, 0.6, 0.9]])
MLP_W1 = W34
MLP_B1 = t([0.1, -0.2, 0.3])
MLP_W2 = t([[1.0, -0.5, 0.8], [-1.2, 0.4, 0.6]])
MLP_B2 = t([0.05, -0.1])
MLP_T = t([0.5, -0.25])
MLP_X = t([0.4, -0.7, 1.2, 0.3])
MM_A = t([[1.0, 2.0], [-0.5, 0.3], [0.7, -1.1]])
MM_B = t([[0.2, -0.4, 1.0], [0.5, 0.6, -0.3], [-0.8, 0.1, 0.4]])
MM_C = t([[1.0, -1.0], [0.5, 2.0], [-0.3, 0.7]])


# ---- the functions ----------------------------------------------------------------------------------------------

def hardsigmoid(x):
    return F.relu6(x + 3.0) / 6.0


def mlp(x, w1):
    return MLP_W2 @ torch.tanh(w1 @ x + MLP_B1) + MLP_B2


def mlp_loss(x, w1):
    r = mlp(x, w1) - MLP_T
    return 0.5 * torch.sum(r * r)


def where_branches(x):
    return torch.where(x > 0, x * x * torch.sin(x), torch.exp(x) - 1.0)


# Elementwise functions: name -> (function, points for the first derivative, points for higher orders).
# Each gives entries "<name>" (the elementwise map: jacobian) and "sum_<name>" (sum of it: hessian, third).
SMOOTH = [-1.3, -0.4, 0.0, 0.7, 2.1]
POSITIVE = [0.3, 0.9, 1.7, 2.5]
ELU_JAC = [-1.5, -0.2, 0.0, 0.3, 2.0]  # 0 included for f' only (torch's f'' at 0 differs from JAX's)
ELU_HIGH = [-1.5, -0.2, 0.3, 2.0]
ELEMENTWISE = {
    "sin": (torch.sin, SMOOTH, SMOOTH),
    "cos": (torch.cos, SMOOTH, SMOOTH),
    "tan": (torch.tan, [-1.2, -0.4, 0.0, 0.7, 1.3], [-1.2, -0.4, 0.0, 0.7, 1.3]),
    "tanh": (torch.tanh, SMOOTH, SMOOTH),
    "exp": (torch.exp, SMOOTH, SMOOTH),
    "log": (torch.log, POSITIVE + [4.0], POSITIVE + [4.0]),
    "log1p": (torch.log1p, [-0.5, 0.2, 1.0, 3.0], [-0.5, 0.2, 1.0, 3.0]),
    "expm1": (torch.expm1, SMOOTH, SMOOTH),
    "sqrt": (torch.sqrt, POSITIVE, POSITIVE),
    "rsqrt": (torch.rsqrt, POSITIVE, POSITIVE),
    "erf": (torch.erf, SMOOTH, SMOOTH),
    "sigmoid": (torch.sigmoid, SMOOTH, SMOOTH),
    "abs": (torch.abs, [-1.5, -0.3, 0.4, 2.0], [-1.5, -0.3, 0.4, 2.0]),
    "square": (lambda x: x * x, SMOOTH, SMOOTH),
    "cube": (lambda x: torch.pow(x, 3), SMOOTH, SMOOTH),
    "reciprocal": (torch.reciprocal, [-1.5, -0.3, 0.4, 2.0], [-1.5, -0.3, 0.4, 2.0]),
    "pow_2_5": (lambda x: torch.pow(x, 2.5), POSITIVE, POSITIVE),
    "rational": (lambda x: x / (1.0 + x * x), SMOOTH, SMOOTH),
    "relu": (F.relu, [-1.0, 0.0, 0.5, 2.0], [-1.0, 0.0, 0.5, 2.0]),
    "relu6": (F.relu6, [-1.0, 0.0, 3.0, 6.0, 7.5], [-1.0, 0.0, 3.0, 6.0, 7.5]),
    "leaky_relu": (F.leaky_relu, [-1.5, -0.2, 0.3, 2.0], [-1.5, -0.2, 0.3, 2.0]),
    "elu": (F.elu, ELU_JAC, ELU_HIGH),
    "elu_0_7": (lambda x: F.elu(x, alpha=0.7), ELU_JAC, ELU_HIGH),
    "celu": (F.celu, ELU_JAC, ELU_HIGH),
    "celu_1_5": (lambda x: F.celu(x, alpha=1.5), ELU_JAC, ELU_HIGH),
    "selu": (F.selu, ELU_JAC, ELU_HIGH),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), [-1.5, -0.2, 0.0, 0.7, 2.0], [-1.5, -0.2, 0.0, 0.7, 2.0]),
    "gelu_exact": (lambda x: F.gelu(x, approximate="none"), [-1.5, -0.2, 0.0, 0.7, 2.0], [-1.5, -0.2, 0.0, 0.7, 2.0]),
    "silu": (F.silu, [-1.5, -0.2, 0.0, 0.7, 2.0], [-1.5, -0.2, 0.0, 0.7, 2.0]),
    "softplus": (F.softplus, [-3.0, -0.2, 0.0, 0.7, 5.0], [-3.0, -0.2, 0.0, 0.7, 5.0]),
    "log_sigmoid": (F.logsigmoid, [-3.0, -0.2, 0.0, 0.7, 5.0], [-3.0, -0.2, 0.0, 0.7, 5.0]),
    "hardtanh": (F.hardtanh, [-2.0, -0.5, 0.3, 1.5], [-2.0, -0.5, 0.3, 1.5]),
    "hardsigmoid": (hardsigmoid, [-4.0, -3.0, 0.5, 3.0, 4.0], [-4.0, -3.0, 0.5, 3.0, 4.0]),
    "clip": (lambda x: torch.clamp(x, -1.0, 2.0), [-1.5, -0.5, 0.7, 1.9, 3.0], [-1.5, -0.5, 0.7, 1.9, 3.0]),
    "where_branches": (where_branches, [-1.2, -0.3, 0.0, 0.4, 1.5], [-1.2, -0.3, 0.0, 0.4, 1.5]),
}

X4 = [0.3, -1.2, 2.0, 0.5]
X23 = [[0.3, -1.2, 2.0], [0.5, 1.1, -0.4]]

# Other functions: (name, kinds, input, function). Scalar-valued ones get hessian and third too.
OTHERS = [
    ("softmax", ["jacobian"], X4, F.softmax),
    ("softmax_dot", ["jacobian", "hessian", "third"], X4, lambda x: torch.sum(F.softmax(x, -1) * C4)),
    ("softmax_axis0", ["jacobian"], X23, lambda x: F.softmax(x, 0)),
    ("log_softmax", ["jacobian"], X4, lambda x: F.log_softmax(x, -1)),
    ("log_softmax_dot", ["jacobian", "hessian", "third"], X4, lambda x: torch.sum(F.log_softmax(x, -1) * C4)),
    ("logsumexp", ["jacobian", "hessian", "third"], X4, lambda x: torch.logsumexp(x, 0)),
    ("logsumexp_2d", ["jacobian", "hessian", "third"], X23, lambda x: torch.logsumexp(x, (0, 1))),
    ("logsumexp_axis1", ["jacobian"], X23, lambda x: torch.logsumexp(x, 1)),
    ("sin_Wx", ["jacobian"], X4, lambda x: torch.sin(W34 @ x)),
    ("sum_sin_Wx", ["jacobian", "hessian", "third"], X4, lambda x: torch.sum(torch.sin(W34 @ x))),
    ("quad_form", ["jacobian", "hessian", "third"], X4, lambda x: x @ (A44 @ x)),
    ("sum_x_sin_x", ["jacobian", "hessian", "third"], [1.0, 2.0, 3.0], lambda x: torch.sum(torch.sin(x) * x)),
    ("mlp", ["jacobian"], MLP_X.tolist(), lambda x: mlp(x, MLP_W1)),
    ("mlp_loss_x", ["jacobian", "hessian", "third"], MLP_X.tolist(), lambda x: mlp_loss(x, MLP_W1)),
    ("mlp_loss_w1", ["jacobian", "hessian"], MLP_W1.tolist(), lambda w: mlp_loss(MLP_X, w)),
    ("matmul_abc", ["jacobian"], X23, lambda x: MM_A @ x @ MM_B),
    ("matmul_chain", ["jacobian"], X23, lambda x: torch.tanh(x @ MM_B) @ MM_C),
    ("matmul_chain_loss", ["jacobian", "hessian", "third"], X23,
     lambda x: torch.sum(torch.square(torch.tanh(x @ MM_B) @ MM_C))),
    ("gram_trace", ["jacobian", "hessian", "third"], X23, lambda x: torch.trace(x @ x.T @ x @ x.T)),
    ("batched_matmul", ["jacobian"], [[[0.3, -1.2, 2.0], [0.5, 1.1, -0.4]], [[-0.6, 0.2, 0.9], [1.3, -0.8, 0.1]]],
     lambda x: torch.tanh(x @ MM_C)),
    ("prod", ["jacobian", "hessian", "third"], X4, torch.prod),
    ("prod_one_zero", ["jacobian", "hessian", "third"], [0.5, 0.0, 2.0, 0.8], torch.prod),
    ("prod_axis1", ["jacobian"], X23, lambda x: torch.prod(x, 1)),
    ("var", ["jacobian", "hessian", "third"], X4, lambda x: torch.var(x, unbiased=False)),
    ("var_axis1", ["jacobian"], X23, lambda x: torch.var(x, 1, unbiased=False)),
    ("std", ["jacobian", "hessian", "third"], X4, lambda x: torch.sqrt(torch.var(x, unbiased=False))),
    ("mean_exp", ["jacobian", "hessian", "third"], X4, lambda x: torch.mean(torch.exp(x))),
    ("mean_axis0", ["jacobian"], X23, lambda x: torch.mean(x, 0)),
    ("norm", ["jacobian", "hessian", "third"], X4, lambda x: torch.sqrt(torch.sum(x * x))),
    ("amax_axis1", ["jacobian"], X23, lambda x: torch.amax(x, 1)),
    ("amax_axis1_ties", ["jacobian"], [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], lambda x: torch.amax(x, 1)),
    ("amin_axis0", ["jacobian"], X23, lambda x: torch.amin(x, 0)),
    ("amin_axis0_ties", ["jacobian"], [[1.0, -2.0, 0.5], [1.0, 3.0, 0.5]], lambda x: torch.amin(x, 0)),
    ("sum_sq_amax_axis1", ["jacobian", "hessian", "third"], X23, lambda x: torch.sum(torch.square(torch.amax(x, 1)))),
    ("max_all", ["jacobian", "hessian"], X4, lambda x: torch.amax(x) ** 3),
    ("maximum_rows", ["jacobian"], [[1.0, 2.0, 3.0], [1.0, 5.0, 3.0]], lambda x: torch.maximum(x[0], x[1])),
    ("minimum_rows", ["jacobian"], [[1.0, 2.0, 3.0], [1.0, 5.0, 3.0]], lambda x: torch.minimum(x[0], x[1])),
    ("sum_sq_maximum_rows", ["jacobian", "hessian", "third"], [[1.0, 2.0, 3.0], [1.0, 5.0, 3.0]],
     lambda x: torch.sum(torch.square(torch.maximum(x[0], x[1])))),
    ("pow_rows", ["jacobian"], [[0.5, 1.3, 2.2], [1.5, -0.7, 0.4]], lambda x: torch.pow(x[0], x[1])),
    ("sum_pow_rows", ["jacobian", "hessian", "third"], [[0.5, 1.3, 2.2], [1.5, -0.7, 0.4]],
     lambda x: torch.sum(torch.pow(x[0], x[1]))),
    ("sum_cube_clip", ["jacobian", "hessian", "third"], [-1.5, -0.5, 0.7, 1.9, 3.0],
     lambda x: torch.sum(torch.pow(torch.clamp(x, -1.0, 2.0), 3))),
    ("where_mix", ["jacobian", "hessian", "third"], X4,
     lambda x: torch.sum(torch.where(x > 0.4, torch.log1p(x * x), torch.cos(x) * x))),
    # scalar inputs (the Java side also checks grad(grad(...)) on these)
    ("tanh_sq", ["jacobian", "hessian", "third"], 0.5, lambda x: torch.square(torch.tanh(x))),
    ("gelu_tanh_scalar", ["jacobian", "hessian", "third"], 0.7, lambda x: F.gelu(x, approximate="tanh")),
    ("softplus_scalar", ["jacobian", "hessian", "third"], 0.7, F.softplus),
    ("silu_scalar", ["jacobian", "hessian", "third"], 0.7, F.silu),
    ("relu_scalar", ["jacobian", "hessian", "third"], 1.0, F.relu),
]


# ---- derivatives --------------------------------------------------------------------------------------------

def compose(modes, f):
    g = f
    for m in reversed(modes):
        g = (jacfwd if m == "fwd" else jacrev)(g)
    return g


# Compositions where this torch version is wrong, found by the cross-check above and confirmed against the
# exact values (see exact_prod): forward mode through prod's backward with a zero element.
TORCH_BAD_MODES = {
    ("prod_one_zero", "third"): {("fwd", "fwd", "rev"): "wrong, not even symmetric",
                                 ("fwd", "fwd", "fwd"): "wrong, not even symmetric",
                                 ("rev", "fwd", "rev"): "NaN", ("rev", "fwd", "fwd"): "NaN"},
}


def exact_prod(x, order):
    """The exact derivative of prod(x) (x a vector): the product of the elements not differentiated."""
    n = x.shape[0]
    out = torch.zeros((n,) * order)
    for idx in itertools.product(range(n), repeat=order):
        if len(set(idx)) == order:
            out[idx] = torch.prod(torch.stack([x[i] for i in range(n) if i not in idx]))
    return out


# Entries also checked against exact values: (name, kind) -> function of the input.
EXACT = {
    ("prod", "jacobian"): lambda x: exact_prod(x, 1),
    ("prod", "hessian"): lambda x: exact_prod(x, 2),
    ("prod", "third"): lambda x: exact_prod(x, 3),
    ("prod_one_zero", "jacobian"): lambda x: exact_prod(x, 1),
    ("prod_one_zero", "hessian"): lambda x: exact_prod(x, 2),
    ("prod_one_zero", "third"): lambda x: exact_prod(x, 3),
}


def derivative(name, kind, f, x):
    results = []
    bad = TORCH_BAD_MODES.get((name, kind), {})
    for modes in MODES[kind]:
        if modes in bad:
            print(f"  {name} {kind}: skipping {'-'.join(modes)} ({bad[modes]})", file=sys.stderr)
            continue
        try:
            results.append(("-".join(modes), compose(modes, f)(x).detach()))
        except (RuntimeError, NotImplementedError) as e:
            first = str(e).splitlines()[0]
            print(f"  {name} {kind}: torch cannot do {'-'.join(modes)}: {first[:100]}", file=sys.stderr)
    if not results:
        raise SystemExit(f"{name} {kind}: no mode works")
    ref_modes, ref = results[0]
    for modes, r in results[1:]:
        if r.shape != ref.shape or not torch.allclose(r, ref, rtol=TOL, atol=TOL):
            raise SystemExit(f"{name} {kind}: torch modes {ref_modes} and {modes} disagree:\n{ref}\n{r}")
    if (name, kind) in EXACT and not torch.allclose(ref, EXACT[(name, kind)](x), rtol=TOL, atol=TOL):
        raise SystemExit(f"{name} {kind}: torch differs from the exact value:\n{ref}\n{EXACT[(name, kind)](x)}")
    for v in ref.flatten().tolist():
        if not math.isfinite(v):
            raise SystemExit(f"{name} {kind}: non-finite value {v}")
    return ref, [m for m, _ in results]


def shape_str(shape):
    return ",".join(str(d) for d in shape) if len(shape) else "scalar"


def values_str(tensor):
    return " ".join(repr(float(v)) for v in tensor.flatten().tolist())


def main():
    entries = []
    for name, (g, jac_points, high_points) in ELEMENTWISE.items():
        entries.append((name, "jacobian", jac_points, g))
        entries.append(("sum_" + name, "hessian", high_points, lambda x, g=g: torch.sum(g(x))))
        entries.append(("sum_" + name, "third", high_points, lambda x, g=g: torch.sum(g(x))))
    for name, kinds, x, f in OTHERS:
        for kind in kinds:
            entries.append((name, kind, x, f))

    lines = [
        "# Solstice golden derivatives computed by an independent implementation: PyTorch + functorch, float64.",
        f"# generated-by: torch {torch.__version__}, functorch {functorch.__version__}, python {sys.version.split()[0]}",
        "# regenerate (from the repository root): /usr/bin/python3 tools/golden/make_torch_golden.py",
        "# The functions, points and conventions are documented in that script; their Solstice twins are in",
        "# solstice/src/test/java/dev/solstice/golden/TorchGoldenTest.java.",
        "#",
        "# Format: '#' lines and blank lines are comments; every other line is one entry, tokens separated by",
        "# single spaces:",
        "#   <name> <kind> <input-shape> <result-shape> : <input values> : <result values>",
        "# kind: jacobian (d f/dx, result shape = output shape + input shape),",
        "#       hessian (f scalar, result shape = in + in), third (f scalar, result shape = in + in + in).",
        "# Shapes are comma-separated dimensions, or 'scalar' for shape []. Values are row-major float64 written",
        "# with Python's repr (shortest round-trip form), readable by Java's Double.parseDouble.",
        "# The comment above each entry lists the functorch compositions (outermost first) that torch could",
        "# run for it; they all agreed to 1e-12 and the first one's value is recorded.",
    ]
    count = 0
    for name, kind, x, f in entries:
        xt = t(x)
        value, modes = derivative(name, kind, f, xt)
        lines.append(f"# {name} {kind}: torch modes {' '.join(modes)}")
        lines.append(f"{name} {kind} {shape_str(xt.shape)} {shape_str(value.shape)} : {values_str(xt)} : {values_str(value)}")
        count += 1
    with open(OUT, "w") as out:
        out.write("\n".join(lines) + "\n")
    names = {e[0] for e in entries}
    print(f"wrote {count} entries for {len(names)} functions to {OUT}")


if __name__ == "__main__":
    main()
