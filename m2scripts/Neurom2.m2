-- Neurom2.m2: the Macaulay2 side of neurom2, the Python package that turns neural networks with
-- polynomial activations into algebraic geometry (see its README.md).  Usable on its own:
--   loadPackage("Neurom2", FileName => "path/to/m2scripts/Neurom2.m2")

newPackage("Neurom2",
    Version => "0.2.0",
    Date => "2026-11-28",
    Headline => "neuromanifolds of neural networks with polynomial activations",
    Authors => {{Name => "neurom2 developers"}},
    Keywords => {"Commutative Algebra", "Applied Algebraic Geometry"},
    PackageImports => {"Elimination", "MinimalPrimes"},
    DebuggingMode => false
    )

export {
    -- networks and their parametrization
    "NeuralNetwork", "neuralNetwork", "monomialExponents", "outputDegrees", "symmetryChart",
    "Bias", "Widths", "Activation", "WeightRing", "CoordinateRing", "Coordinates", "Parametrization",
    -- the neurovariety
    "neuromanifoldIdeal", "FixSymmetries", "vanishOnNeuromanifold", "neuromanifoldDegree", "Prime",
    "fiberDiscriminant", "fromListForm", "determinantalReport", "sameIdeal",
    -- fibers of the parametrization (membership)
    "fiberIdeal", "pointsReport", "distanceCriticalIdeals",
    -- serialisations read by the Python package
    "neurom2Report", "parametrizationReport", "equationsReport"
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

symmetryChart = method()
symmetryChart NeuralNetwork := List => N -> (
    -- Weight values fixed on a dense open chart of the weights that meets every orbit of the continuous
    -- symmetries there: a list of pairs (index of the weight variable, value).
    (widths, sigma) := (N#Widths, N#Activation);
    r := #sigma - 1;
    if #select(sigma, a -> a != 0) != 1 then return {};
    L := #widths - 1;
    fixed := {};
    position := 0;
    for l from 1 to L do (
        (rows, cols) := (widths#l, widths#(l-1));
        if l < L then fixed = fixed | (
            if r >= 2 then apply(rows, i -> (position + i * cols, 1))   -- w_(l,i,1) = 1: rescalings
            else flatten table(rows, cols, (i, j) -> (                    -- g W_l = [I | *] or [I ; 0]: GL(d_l)
                if i < cols and j < rows then (position + i * cols + j, if i == j then 1 else 0)
                else if i >= cols then (position + i * cols + j, 0)
                else null)));
        position = position + rows * cols;
        if N#Bias then (
            if l < L and r == 1 then fixed = fixed | apply(rows, i -> (position + i, 0));  -- translations
            position = position + rows));
    delete(null, fixed))

chartParametrization = N -> (
    -- the parametrization restricted to the chart of symmetryChart N (a ring map, same source and target)
    R := N#WeightRing;
    fixed := hashTable symmetryChart N;
    chart := map(R, R, apply(numgens R, i -> if fixed#?i then fixed#i * 1_R else R_i));
    map(R, N#CoordinateRing, apply(flatten entries matrix N#Parametrization, f -> chart f)))

neuromanifoldIdeal = method(Options => {Strategy => "eliminate", FixSymmetries => true, DegreeLimit => infinity})
neuromanifoldIdeal NeuralNetwork := Ideal => o -> N -> (
    key := ("ideal", o.Strategy, o.FixSymmetries, o.DegreeLimit);
    if not N.cache#?key then N.cache#key = (
        R := N#WeightRing;
        S := N#CoordinateRing;
        phi := if o.FixSymmetries then chartParametrization N else N#Parametrization;
        images := flatten entries matrix phi;
        if o.Strategy == "kernel" then trim ker phi
        else if o.Strategy == "eliminate" then (
            -- graph ideal in a block order eliminating the weights; a homogeneous one when the
            -- coordinates' images are homogeneous of one degree (then DegreeLimit truncates by degree)
            n := numgens R;
            d := unique apply(select(images, f -> f != 0), f -> if isHomogeneous f then first degree f else -1);
            degs := if #d == 1 and d#0 > 0 then toList(n : 1) | toList(numgens S : d#0) else toList(n + numgens S : 1);
            if o.DegreeLimit =!= infinity and degs == toList(n + numgens S : 1) then
                error "neuromanifoldIdeal: DegreeLimit needs a homogeneous parametrization (monomial sigma, no biases)";
            T := (coefficientRing R)(monoid[gens R | gens S, Degrees => degs, MonomialOrder => Eliminate n]);
            J := ideal apply(#images, j -> T_(n + j) - (map(T, R, take(gens T, n))) images#j);
            G := if o.DegreeLimit === infinity then gb J else gb(J, DegreeLimit => o.DegreeLimit * last degs);
            trim ideal (map(S, T, toList(n : 0_S) | gens S)) selectInSubring(1, gens G))
        else error("neuromanifoldIdeal: unknown Strategy " | toString o.Strategy | "; use \"eliminate\" or \"kernel\""));
    N.cache#key)

neuromanifoldDegree = method(Options => {Prime => 2147483629})
neuromanifoldDegree(NeuralNetwork, ZZ) := ZZ => o -> (N, d) -> (
    -- The degree of the neurovariety, of dimension d, without its ideal: over ZZ/p, count the weights
    -- (on the symmetry chart, cut by f random affine hyperplanes, f = generic fiber dimension) that map
    -- into a random linear slice of codimension d, and divide by the degree of a generic fiber.
    -- Probabilistic: the random choices must be generic.
    kk := ZZ/o.Prime;
    R := N#WeightRing;
    fixed := hashTable symmetryChart N;
    free := select(numgens R, i -> not fixed#?i);
    n := #free;
    Rp := kk(monoid[apply(free, i -> R_i)]);
    toRp := map(Rp, R, apply(numgens R, i -> if fixed#?i then fixed#i * 1_Rp else Rp_(position(free, j -> j == i))));
    images := apply(flatten entries matrix N#Parametrization, g -> toRp g);
    if d > n then error "neuromanifoldDegree: d exceeds the number of free weights";
    randomAffine := () -> sum(n, i -> random(kk) * Rp_i) + random(kk);
    randomForm := () -> sum(images, g -> random(kk) * g);
    slice := ideal(apply(d - 1, i -> randomForm()) | {randomForm() - 1} | apply(n - d, i -> randomAffine()));
    w0 := map(kk, Rp, apply(n, i -> random kk));
    fiber := ideal(apply(images, g -> g - w0 g) | apply(n - d, i -> randomAffine()));
    if dim slice > 0 or dim fiber > 0 then error "neuromanifoldDegree: a slice is not zero-dimensional (is d the dimension?)";
    (points, fiberDegree) := (degree slice, degree fiber);
    if fiberDegree == 0 or points % fiberDegree != 0 then
        error("neuromanifoldDegree: " | toString points | " points on the slice, generic fiber of degree " | toString fiberDegree);
    points // fiberDegree)

fiberDiscriminant = method()
fiberDiscriminant NeuralNetwork := List => N -> (
    -- For a network whose symmetry chart has as many free weights w as coordinates c: eliminate all
    -- free weights but the first, t, from the fiber ideal {c(w) = c}, take the eliminant g(t, c) of least
    -- positive degree in t, and return the irreducible factors of its discriminant and of its leading
    -- coefficient in t.  The real fiber changes only where these vanish, so the boundary of the real
    -- image of the chart lies in their zero set (the algebraic boundary candidates).
    R := N#WeightRing;
    S := N#CoordinateRing;
    fixed := hashTable symmetryChart N;
    free := select(numgens R, i -> not fixed#?i);
    n := #free;
    if n != numgens S then error "fiberDiscriminant: needs as many free weights as coordinates";
    others := drop(free, 1);
    T := QQ(monoid[apply(others, i -> R_i) | {R_(first free)} | gens S, MonomialOrder => Eliminate(n - 1)]);
    slot := hashTable apply(#others, k -> others#k => T_k);
    toT := map(T, R, apply(numgens R, i -> if fixed#?i then fixed#i * 1_T else if i == first free then T_(n - 1) else slot#i));
    images := flatten entries matrix N#Parametrization;
    G := ideal apply(#images, j -> T_(n + j) - toT images#j);
    t := T_(n - 1);
    eliminants := select(flatten entries selectInSubring(1, gens gb G), g -> degree(t, g) > 0);
    if #eliminants == 0 then error "fiberDiscriminant: no eliminant in the first free weight";
    g := first sort(eliminants, g -> degree(t, g));
    leading := (last coefficients(g, Variables => {t}))_(0, 0);
    toS := map(S, T, toList(n : 0_S) | gens S);
    factors := flatten apply({discriminant(g, t), leading}, h -> apply(toList factor h, p -> toS p#0));
    unique select(factors, p -> first degree p > 0))

vanishOnNeuromanifold = method()
vanishOnNeuromanifold(NeuralNetwork, List) := List => (N, polynomials) -> (
    -- exact test of F(c(w)) == 0 for each F in the coordinate ring, on the dense chart of symmetryChart
    phi := chartParametrization N;
    apply(polynomials, F -> phi F == 0))

-- Serialisations read by the Python bridge: only lists, integers and rationals.
neurom2Report = method(Options => options neuromanifoldIdeal)
neurom2Report NeuralNetwork := String => o -> N -> (
    I := neuromanifoldIdeal(N, o);
    gensI := flatten entries mingens I;
    toString {N#Coordinates, dim I, degree I, apply(gensI, listForm)})

fromListForm = method()
fromListForm(Ring, List) := RingElement => (R, terms) -> (
    -- the inverse of listForm: a list of pairs (exponent list, coefficient) as an element of R
    sum(terms, t -> t#1 * R_(t#0)) + 0_R)

equationsReport = method()
equationsReport(NeuralNetwork, List) := String => (N, polynomials) -> (
    -- for candidate equations (elements of N#CoordinateRing, or their listForm): the minimal generators
    -- of the ideal J they generate, whether each of them vanishes on the neuromanifold (1/0; then so
    -- does all of J), and the dimension and degree of J
    S := N#CoordinateRing;
    J := ideal(apply(polynomials, f -> if instance(f, List) then fromListForm(S, f) else f) | {0_S});
    generators := flatten entries mingens J;
    vanish := apply(vanishOnNeuromanifold(N, generators), b -> if b then 1 else 0);
    toString {vanish, dim J, degree J, apply(generators, listForm)})

sameIdeal = method()
sameIdeal(NeuralNetwork, List, List) := Boolean => (N, first, second) -> (
    -- whether two lists of polynomials in N#CoordinateRing (or their listForms) generate the same ideal
    S := N#CoordinateRing;
    toIdeal := L -> ideal(apply(L, f -> if instance(f, List) then fromListForm(S, f) else f) | {0_S});
    toIdeal first == toIdeal second)

determinantalReport = method()
determinantalReport(NeuralNetwork, List) := String => (N, polynomials) -> (
    -- for a linear network without biases: 1 if the ideal of the given polynomials (listForm) equals the
    -- ideal of (r+1)-minors of the d_L x d_0 matrix of coordinates, r = min(widths), else 0
    S := N#CoordinateRing;
    (rows, cols, r) := (last N#Widths, first N#Widths, min N#Widths);
    C := transpose genericMatrix(S, cols, rows);
    D := if r >= min(rows, cols) then ideal(0_S) else minors(r + 1, C);
    toString(if D == ideal(apply(polynomials, f -> fromListForm(S, f)) | {0_S}) then 1 else 0))

parametrizationReport = method()
parametrizationReport NeuralNetwork := String => N -> (
    toString {N#Coordinates, apply(flatten entries matrix N#Parametrization, listForm)})

-- Fibers of the parametrization, for membership questions (Python: neurom2.real.membership).
-- A chart fixes some weights to rational values (null: free); the fiber over a point t of the ambient
-- space is {free weights : coefficients = t}, an ideal of QQ[free weights] with one generator per coordinate.

fiberIdeal = method()
fiberIdeal(NeuralNetwork, List, List) := Ideal => (N, point, chart) -> (
    R := N#WeightRing;
    images := flatten entries matrix N#Parametrization;
    if #point != #images then error "fiberIdeal: expected one rational number per coordinate";
    if #chart != numgens R then error "fiberIdeal: expected one entry per weight (a rational number, or null)";
    free := select(numgens R, i -> chart#i === null);
    F := QQ(monoid[apply(free, i -> R_i)]);
    slot := hashTable apply(#free, k -> (free#k, F_k));
    phi := map(F, R, apply(numgens R, i -> if slot#?i then slot#i else promote(chart#i, F)));
    ideal apply(#images, k -> phi(images#k) - point#k))

pointsReport = method()
pointsReport Ideal := String => J -> (
    -- {dim J, data}: data = cofactors h with (gens J)*h = 1 (listForm) when J = 1; when dim J = 0, the
    -- exponents of the standard monomials, a basis of A = QQ[vars]/J, and the matrices of multiplication
    -- by each variable on it (column k: the product with the k-th basis element); otherwise a maximal
    -- independent set of variables.
    F := ring J;
    d := dim J;
    data := if d < 0 then apply(flatten entries(matrix{{1_F}} // gens J), listForm)
    else if d == 0 then (
        A := F/J;
        B := basis A;
        {apply(flatten entries B, b -> first exponents lift(b, F)),
         apply(numgens A, i -> entries lift(last coefficients(A_i * B, Monomials => B), QQ))})
    else apply(support first independentSets J, index);
    toString {d, data})

distanceCriticalIdeals = method()
distanceCriticalIdeals(Ideal, List) := List => (J, p) -> (
    -- For each minimal prime P of J, of codimension c: P + the (c+1)-minors of (jacobian G, x - p), G = J
    -- when J is prime (fewer generators), else P. The real point of V(P) nearest to p (singular, or where
    -- x - p is normal to V(P)) lies on it, if V(P) has real points.
    F := ring J;
    delta := vars F - matrix{apply(p, a -> promote(a, F))};
    apply(minimalPrimes J, P -> (
        G := if P == J then J else trim P;
        P + minors(codim P + 1, transpose jacobian G || delta))))

beginDocumentation()

doc ///
  Key
    fiberIdeal
    (fiberIdeal, NeuralNetwork, List, List)
    pointsReport
    (pointsReport, Ideal)
    distanceCriticalIdeals
    (distanceCriticalIdeals, Ideal, List)
  Headline
    fibers of the parametrization, their points and real points
  Usage
    J = fiberIdeal(N, t, chart)
    pointsReport J
    distanceCriticalIdeals(J, p)
  Inputs
    N:NeuralNetwork
    t:List
      one rational number per coordinate of the ambient space
    chart:List
      one entry per weight: a rational value, or null for a free weight
    J:Ideal
    p:List
      a rational point, one entry per variable of the ring of J
  Outputs
    J:Ideal
      the weights (free ones only) whose network has coefficients t, one generator per coordinate
  Description
    Text
      pointsReport prints {dim J, data}: cofactors expressing 1 when J is the unit ideal; for zero-dimensional J
      the exponents of a monomial basis of QQ[vars]/J and the multiplication matrices of the variables on it;
      otherwise a maximal independent set of variables.  distanceCriticalIdeals gives, per minimal prime, an
      ideal containing the real point nearest to p of each real component.
    Example
      N = neuralNetwork({2,2,1}, {0,0,0,1});
      J = fiberIdeal(N, {1,0,-1,0}, {1,null,1,null,null,null})
      pointsReport J
///


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

doc ///
  Key
    symmetryChart
    (symmetryChart, NeuralNetwork)
  Headline
    weights fixed on a dense chart that meets every orbit of the continuous symmetries
  Usage
    symmetryChart N
  Inputs
    N:NeuralNetwork
  Outputs
    :List
      of pairs (index of a weight variable, value)
  Description
    Text
      For a monomial activation $x^r$, $r\ge2$, each hidden neuron's first input weight is set to 1
      (rescalings). For linear layers, $W_l$ is brought to $[I\,|\,*]$ or $[I;0]$ (GL$(d_l)$), and with
      biases the hidden biases are set to 0 (translations).  The image of the chart is dense in the
      neuromanifold, so ideals computed on it are the same.
    Example
      symmetryChart neuralNetwork({2,2,1}, {0,0,0,1})
///

doc ///
  Key
    fromListForm
    (fromListForm, Ring, List)
  Headline
    a ring element from its listForm
  Usage
    fromListForm(R, terms)
  Inputs
    R:Ring
    terms:List
      of pairs (exponent list, coefficient), as listForm returns them
  Outputs
    :RingElement
      the sum of the terms in R
  Description
    Example
      R = QQ[a,b];
      fromListForm(R, listForm(a^2 - 3/4*a*b))
///

doc ///
  Key
    sameIdeal
    (sameIdeal, NeuralNetwork, List, List)
  Headline
    whether two lists of polynomials in the coordinates generate the same ideal
  Usage
    sameIdeal(N, first, second)
  Inputs
    N:NeuralNetwork
    first:List
      of polynomials in N#CoordinateRing, or their listForms
    second:List
  Outputs
    :Boolean
  Description
    Example
      N = neuralNetwork({2,1,2}, {0,1}); S = N#CoordinateRing;
      sameIdeal(N, {S_0*S_3 - S_1*S_2}, flatten entries gens neuromanifoldIdeal N)
///

doc ///
  Key
    determinantalReport
    (determinantalReport, NeuralNetwork, List)
  Headline
    compare an ideal with the determinantal ideal of a linear network
  Usage
    determinantalReport(N, polynomials)
  Inputs
    N:NeuralNetwork
      a linear network without biases
    polynomials:List
      of polynomials in N#CoordinateRing, each given by its listForm
  Outputs
    :String
      "1" if they generate the ideal of (r+1)-minors of the matrix of coordinates, r the least width; else "0"
  Description
    Example
      N = neuralNetwork({2,1,2}, {0,1});
      determinantalReport(N, apply(flatten entries gens neuromanifoldIdeal N, listForm))
///

doc ///
  Key
    vanishOnNeuromanifold
    (vanishOnNeuromanifold, NeuralNetwork, List)
    equationsReport
    (equationsReport, NeuralNetwork, List)
  Headline
    exact test that polynomials vanish on the neuromanifold
  Usage
    vanishOnNeuromanifold(N, polynomials)
  Inputs
    N:NeuralNetwork
    polynomials:List
      of elements of N#CoordinateRing
  Outputs
    :List
      of Booleans: whether F(c(w)) = 0 identically, on the symmetry chart
  Description
    Example
      N = neuralNetwork({2,1,2}, {0,1}); S = N#CoordinateRing;
      vanishOnNeuromanifold(N, {S_0*S_3 - S_1*S_2, S_0})
///

doc ///
  Key
    neuromanifoldDegree
    (neuromanifoldDegree, NeuralNetwork, ZZ)
    [neuromanifoldDegree, Prime]
    Prime
  Headline
    the degree of the neurovariety without its ideal (probabilistic)
  Usage
    neuromanifoldDegree(N, d)
  Inputs
    N:NeuralNetwork
    d:ZZ
      the dimension of the neurovariety
    Prime=>ZZ
      the characteristic used for the count
  Outputs
    :ZZ
      the number of points of a random linear slice of codimension d, counted through the weights over
      ZZ/p, divided by the degree of a generic fiber
  Description
    Example
      setRandomSeed 1; neuromanifoldDegree(neuralNetwork({2,2,1}, {0,0,0,0,1}), 4)
///

doc ///
  Key
    fiberDiscriminant
    (fiberDiscriminant, NeuralNetwork)
  Headline
    candidates for the algebraic boundary of the real neuromanifold
  Usage
    fiberDiscriminant N
  Inputs
    N:NeuralNetwork
      whose symmetry chart leaves as many free weights as coordinates
  Outputs
    :List
      the irreducible factors of the discriminant and leading coefficient of the fiber's eliminant
  Description
    Example
      fiberDiscriminant neuralNetwork({2,2,1}, {0,0,0,1})
///

doc ///
  Key
    FixSymmetries
    [neuromanifoldIdeal, FixSymmetries]
    [neuromanifoldIdeal, Strategy]
    [neuromanifoldIdeal, DegreeLimit]
    [neurom2Report, FixSymmetries]
    [neurom2Report, Strategy]
    [neurom2Report, DegreeLimit]
  Headline
    options of neuromanifoldIdeal
  Description
    Text
      Strategy => "eliminate" (default) computes a Gröbner basis of the graph ideal in a block order;
      "kernel" uses Macaulay2's kernel.  FixSymmetries => true (default) works on symmetryChart.
      DegreeLimit => k truncates at degree k in the coordinates (needs a homogeneous parametrization
      and FixSymmetries => false).
    Example
      neuromanifoldIdeal(neuralNetwork({3,2,1}, {0,0,0,1}), DegreeLimit => 3, FixSymmetries => false)
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

TEST ///
  -- the strategies agree: full elimination on the chart, Macaulay2's kernel, truncation at degree 3
  N = neuralNetwork({3,2,1}, {0,0,0,1})
  I = neuromanifoldIdeal N
  assert(I == neuromanifoldIdeal(N, Strategy => "kernel", FixSymmetries => false))
  assert(I == neuromanifoldIdeal(N, DegreeLimit => 3, FixSymmetries => false))
  assert(dim I == 6 and degree I == 15)
  setRandomSeed 2
  assert(neuromanifoldDegree(N, 6) == 15)
///

TEST ///
  -- x^3 - x y^2 = e(x+by)^3 + f(x+dy)^3 has two complex solutions and no real one
  J = fiberIdeal(neuralNetwork({2,2,1}, {0,0,0,1}), {1,0,-1,0}, {1,null,1,null,null,null})
  report = value pointsReport J   -- {dim, {basis exponents, multiplication matrices}}
  assert(report#0 == 0 and #(report#1#0) == 2 and #(report#1#1) == 4)
  -- multiplication by w_(1,1,2) squares to -1/3: the two points have w_(1,1,2) = ±i/sqrt 3
  M = matrix report#1#1#0
  assert(M * M == -1/3 * id_(QQ^2))
///

end--
