-- Neurom2.m2: the Macaulay2 side of neurom2 (https://github.com/ neurom2 project; see README.md).
-- Usable on its own:  loadPackage("Neurom2", FileName => "path/to/m2scripts/Neurom2.m2")

newPackage("Neurom2",
    Version => "0.1.0",
    Date => "2026-11-27",
    Headline => "neuromanifolds of neural networks with polynomial activations",
    Authors => {{Name => "neurom2 developers"}},
    DebuggingMode => false
    )

export {
    "NeuralNetwork", "neuralNetwork", "neuromanifoldIdeal", "monomialExponents", "outputDegrees",
    "neurom2Report", "parametrizationReport",
    "Bias", "Widths", "Activation", "WeightRing", "CoordinateRing", "Coordinates", "Parametrization"
    }

-- Conventions (shared with the Python package neurom2, which checks them against its own construction):
--   network  f = alpha_L o sigma o ... o sigma o alpha_1,  alpha_l(h) = W_l h (+ b_l)
--   weights  for l = 1..L: W_l row by row as w_(l,i,j), then (with Bias) b_l as b_(l,i)
--   sigma    a list of rational coefficients in ascending powers: {0,0,1} is x^2, {0,1,1} is x^2+x
--   space    V = (direct sum over the output degrees K of QQ[x_1..x_n]_k)^(d_L)
--   basis    total degree ascending, within a degree exponent vectors lexicographically descending
--   coords   c_(k,e_1,..,e_n) = coefficient of x^e in output k; ordered by k, then by the basis

NeuralNetwork = new Type of HashTable
NeuralNetwork.synonym = "neural network with polynomial activation"
net NeuralNetwork := N -> (
    "NeuralNetwork{widths " | toString N#Widths | ", sigma " | toString N#Activation
    | (if N#Bias then ", with biases}" else ", no biases}"))

outputDegrees = method(Options => {Bias => false})
outputDegrees(List, List) := List => o -> (widths, sigma) -> (
    support := select(#sigma, k -> sigma#k != 0);
    degs := if o.Bias then {0, 1} else {1};
    scan(#widths - 2, layer -> (
        image := flatten apply(support, s -> (
            sums := {0};
            scan(s, i -> sums = unique flatten apply(sums, a -> apply(degs, d -> a + d)));
            sums));
        degs = if o.Bias then unique(image | {0}) else unique image));
    sort degs)

monomialExponents = method()
monomialExponents(ZZ, List) := List => (n, degs) ->
    flatten apply(sort degs, k -> rsort apply(compositions(n, k), toList))

checkNetwork := (widths, sigma) -> (
    if #widths < 2 or any(widths, d -> not instance(d, ZZ) or d < 1) then
        error "neuralNetwork: widths must be a list of at least two positive integers";
    if any(sigma, a -> not instance(a, QQ) and not instance(a, ZZ)) then
        error "neuralNetwork: sigma must be a list of rational coefficients (ascending powers)";
    if all(drop(sigma, 1), a -> a == 0) then
        error "neuralNetwork: sigma must be a non-constant polynomial")

horner := (sigma, v) -> (
    acc := 0_(ring v);
    scan(reverse sigma, a -> acc = acc * v + a);
    acc)

neuralNetwork = method(Options => {Bias => false})
neuralNetwork(List, List) := NeuralNetwork => o -> (widths, sigma) -> (
    checkNetwork(widths, sigma);
    L := #widths - 1;
    n := first widths;
    (w, b, c, x) := (getSymbol "w", getSymbol "b", getSymbol "c", getSymbol "x");
    weightVars := flatten for l from 1 to L list (
        flatten(for i from 1 to widths#l list for j from 1 to widths#(l-1) list w_(l,i,j))
        | (if o.Bias then for i from 1 to widths#l list b_(l,i) else {}));
    R := QQ[weightVars];
    Rx := R[x_1..x_n];
    values := transpose vars Rx;
    position := 0;
    for l from 1 to L do (
        (rows, cols) := (widths#l, widths#(l-1));
        W := matrix table(rows, cols, (i, j) -> R_(position + i * cols + j));
        position = position + rows * cols;
        values = sub(W, Rx) * values;
        if o.Bias then (
            values = values + sub(transpose matrix {apply(rows, i -> R_(position + i))}, Rx);
            position = position + rows);
        if l < L then values = matrix apply(flatten entries values, v -> {horner(sigma, v)}));
    exps := monomialExponents(n, outputDegrees(widths, sigma, Bias => o.Bias));
    monoms := apply(exps, e -> Rx_e);
    coordinates := flatten apply(widths#L, k -> apply(exps, e -> {k + 1} | e));
    images := flatten apply(flatten entries values, f -> (
        cf := last coefficients(f, Monomials => monoms);
        apply(flatten entries cf, a -> lift(a, R))));
    S := QQ[apply(coordinates, e -> c_(toSequence e))];
    new NeuralNetwork from {
        Widths => widths, Activation => sigma, Bias => o.Bias,
        WeightRing => R, CoordinateRing => S, Coordinates => coordinates,
        Parametrization => map(R, S, images),
        symbol cache => new CacheTable})

neuromanifoldIdeal = method()
neuromanifoldIdeal NeuralNetwork := Ideal => N -> (
    if not N.cache#?"ideal" then N.cache#"ideal" = trim ker N#Parametrization;
    N.cache#"ideal")

-- Serialisations read by the Python bridge: only lists, integers and rationals.
neurom2Report = method()
neurom2Report NeuralNetwork := String => N -> (
    I := neuromanifoldIdeal N;
    gensI := flatten entries mingens I;
    toString {N#Coordinates, dim I, degree I, apply(gensI, listForm)})

parametrizationReport = method()
parametrizationReport NeuralNetwork := String => N -> (
    toString {N#Coordinates, apply(flatten entries matrix N#Parametrization, listForm)})

beginDocumentation()

doc ///
  Key
    Neurom2
  Headline
    neuromanifolds of neural networks with polynomial activations
  Description
    Text
      A fully connected network $f = \alpha_L\circ\sigma\circ\dots\circ\sigma\circ\alpha_1$ with widths
      $(d_0,\dots,d_L)$ and a polynomial activation $\sigma$ outputs $d_L$ polynomials in $d_0$ variables.
      Its coefficients are polynomials in the weights; the Zariski closure of the image of this map is the
      neurovariety.  This package builds the map and its ideal.  It is the Macaulay2 side of the Python
      package neurom2, and can be used on its own.
    Example
      N = neuralNetwork({2,1,2}, {0,1})
      neuromanifoldIdeal N
      N = neuralNetwork({2,2,1}, {0,0,0,1})
      dim neuromanifoldIdeal N
///

doc ///
  Key
    neuralNetwork
    (neuralNetwork, List, List)
    NeuralNetwork
    [neuralNetwork, Bias]
  Headline
    the parametrization of a polynomial neural network
  Usage
    N = neuralNetwork(widths, sigma)
  Inputs
    widths:List
      of positive integers $(d_0,\dots,d_L)$, $L\ge1$
    sigma:List
      the coefficients of the activation in ascending powers: {0,0,1} is $x^2$, {0,1,1} is $x^2+x$
    Bias=>Boolean
      whether the affine maps have bias vectors
  Outputs
    N:NeuralNetwork
      with keys Widths, Activation, Bias, WeightRing, CoordinateRing, Coordinates and Parametrization,
      the ring map from the coordinate ring of the ambient space to the ring of weights
  Description
    Text
      Weights are w_(l,i,j) for the entry (i,j) of the l-th matrix and b_(l,i) for biases.  The
      coordinate c_(k,e_1,...,e_n) is the coefficient of $x_1^{e_1}\cdots x_n^{e_n}$ in output k.
      Monomials are ordered by total degree, ascending, then lexicographically descending.
    Example
      N = neuralNetwork({2,2,1}, {0,0,1});
      N#Parametrization
      N#Coordinates
///

doc ///
  Key
    neuromanifoldIdeal
    (neuromanifoldIdeal, NeuralNetwork)
  Headline
    the ideal of the neurovariety
  Usage
    I = neuromanifoldIdeal N
  Inputs
    N:NeuralNetwork
  Outputs
    I:Ideal
      the kernel of the parametrization, in the coordinate ring of the ambient space
  Description
    Example
      I = neuromanifoldIdeal neuralNetwork({3,2,3}, {0,1})
      (dim I, degree I)
///

doc ///
  Key
    outputDegrees
    (outputDegrees, List, List)
    [outputDegrees, Bias]
  Headline
    the degrees the outputs of a network can have
  Usage
    outputDegrees(widths, sigma)
  Inputs
    widths:List
    sigma:List
    Bias=>Boolean
  Outputs
    :List
      of the degrees of the homogeneous parts that span the ambient space
  Description
    Example
      outputDegrees({2,2,1}, {0,0,0,1})
      outputDegrees({2,2,1}, {0,1,1})
      outputDegrees({2,2,2,1}, {0,0,1}, Bias => true)
///

doc ///
  Key
    monomialExponents
    (monomialExponents, ZZ, List)
  Headline
    exponent vectors of the monomial basis, in neurom2's order
  Usage
    monomialExponents(n, degrees)
  Inputs
    n:ZZ
      the number of variables
    degrees:List
  Outputs
    :List
      exponent vectors, total degree ascending, then lexicographically descending
  Description
    Example
      monomialExponents(2, {0,1,2})
///

doc ///
  Key
    neurom2Report
    (neurom2Report, NeuralNetwork)
    parametrizationReport
    (parametrizationReport, NeuralNetwork)
  Headline
    serialisations read by the Python package
  Usage
    neurom2Report N
    parametrizationReport N
  Inputs
    N:NeuralNetwork
  Outputs
    :String
      neurom2Report: {coordinates, dim, degree, listForm of each minimal generator};
      parametrizationReport: {coordinates, listForm of each coordinate's polynomial in the weights}
  Description
    Example
      neurom2Report neuralNetwork({2,1,2}, {0,1})
///

doc ///
  Key
    Widths
    Activation
    WeightRing
    CoordinateRing
    Coordinates
    Parametrization
    Bias
  Headline
    keys of a NeuralNetwork
///

TEST ///
  -- sigma = x^2 on widths (2,2,1) fills R[x,y]_2: the ideal is zero, the dimension 3.
  I = neuromanifoldIdeal neuralNetwork({2,2,1}, {0,0,1})
  assert(I == 0 and dim I == 3)
///

TEST ///
  -- linear widths (2,1,2): the 2x2 matrices of rank <= 1.
  N = neuralNetwork({2,1,2}, {0,1})
  S = N#CoordinateRing
  M = transpose genericMatrix(S, 2, 2)
  assert(neuromanifoldIdeal N == minors(2, M))
///

TEST ///
  -- (2,2,1), x^4: one cubic, the catalecticant of binary quartics of rank <= 2.
  I = neuromanifoldIdeal neuralNetwork({2,2,1}, {0,0,0,0,1})
  assert(numgens I == 1 and first degree I_0 == 3 and dim I == 4)
///

TEST ///
  assert(monomialExponents(2, {0,1,2}) == {{0,0},{1,0},{0,1},{2,0},{1,1},{0,2}})
  assert(outputDegrees({2,2,2,1}, {0,1,1}) == {1,2,3,4})
///

end--
