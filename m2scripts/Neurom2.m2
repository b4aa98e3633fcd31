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
    "neurom2Report", "parametrizationReport", "equationsReport",
    -- critical points of the loss on a variety (the loss landscape)
    "criticalIdeal", "Combinations", "Saturate", "criticalReport", "criticalCounts", "waringCounts", "subspaceCounts", "singularPrimes", "pullbackReport", "imageAvoidsSmoothPart", "numericalCriticalCount", "SolutionCount",
    -- linear sections modulo primes (completeness certificates of interpolated ideals)
    "LinearSection", "linearSection", "linearSectionLength", "linearSectionEliminant",
    -- identifiability (fibers)
    "fiberCountModular", "fiberCountMonodromy", "Repeats", "ModuloFirstLayer",
    -- critical points of the loss in a slice of weight space (monodromy)
    "sliceCriticalCount"
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

chartMap := (N, chart, kk) -> (
    -- the ring of the free weights over kk and the substitution of the chart's values
    R := N#WeightRing;
    free := select(numgens R, i -> chart#i === null);
    F := kk(monoid[apply(free, i -> R_i)]);
    slot := hashTable apply(#free, k -> (free#k, F_k));
    map(F, R, apply(numgens R, i -> if slot#?i then slot#i else promote(chart#i, F))))

fiberIdeal = method()
fiberIdeal(NeuralNetwork, List, List) := Ideal => (N, point, chart) -> (
    R := N#WeightRing;
    images := flatten entries matrix N#Parametrization;
    if #point != #images then error "fiberIdeal: expected one rational number per coordinate";
    if #chart != numgens R then error "fiberIdeal: expected one entry per weight (a rational number, or null)";
    phi := chartMap(N, chart, QQ);
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

-- Critical points of a quadratic loss L(c) = (c-u)^T Q (c-u) on a variety X = V(P), P prime
-- (Python: neurom2.training.critical).  With r = codim P and g_1..g_r in P (P's generators when there are
-- r of them, else random integer combinations of them), the Lagrange ideal is
--     J = P + (Q(c - u) - sum_i l_i grad g_i(c))   in k[c_1..c_n, l_1..l_r].
-- If J is zero-dimensional, each of its points is a critical point of L on the smooth part of X, with its
-- unique multipliers: a point where the r gradients of g are dependent would carry an affine space of
-- multipliers of positive dimension; where they are independent, rank Jacobian(P) = r, so the point is
-- smooth on X and the gradients of g span its normal space.  Conversely every critical point is in V(J) when
-- P is a complete intersection (g = P's generators); with random combinations, a critical point where they
-- happen to have dependent gradients is missed (probabilistic: random integers in +-(1..9) over QQ, uniform
-- in ZZ/p over ZZ/p).  If J is not zero-dimensional it is saturated by a random maximal minor of the Jacobian
-- of g (probabilistic: a critical point where that minor vanishes is lost).

lossRing := (kk, n, r) -> (
    (c, l) := (local c, local l);
    kk(monoid[toList(c_1..c_n) | toList(l_1..l_r)]))

groebnerIdeal := J -> (
    -- J with a Groebner basis attached: F4 over a prime field, Buchberger over QQ
    if char coefficientRing ring J == 0 then (gb J; J) else (
        G := groebnerBasis(J, Strategy => "F4");
        forceGB G;
        ideal G))

criticalIdeal = method(Options => {Saturate => "auto", Combinations => null})
criticalIdeal(Ideal, Matrix, Matrix) := Ideal => o -> (P, Q, u) -> (
    S := ring P; kk := coefficientRing S; n := numgens S;
    G := flatten entries mingens P;
    r := codim P;
    g := if o.Combinations =!= null then o.Combinations
         else if #G == r then G
         else apply(r, i -> sum(G, f -> (if char kk > 0 then random kk else (-1)^(random 2) * random(1, 9)) * f));
    T := lossRing(kk, n, r);
    toT := map(T, S, take(gens T, n));
    c := transpose matrix{take(gens T, n)};
    Jg := (transpose jacobian matrix{apply(g, f -> toT f) | {0_T}})^{0..r-1}_{0..n-1};
    multipliers := if r > 0 then transpose Jg * transpose matrix{drop(gens T, n)} else 0;
    J := groebnerIdeal(toT P + ideal(sub(Q, T) * (c - sub(u, T)) - multipliers));
    saturated := r > 0 and (o.Saturate == "always" or (o.Saturate == "auto" and dim J > 0));
    if saturated then J = groebnerIdeal saturate(J, det(Jg * sub(random(kk^n, kk^r), T)));
    J.cache#"combinations" = g;
    J.cache#"saturated" = saturated;
    J)

lagrangeOver := (generators, Q, u, p, saturation) -> (
    -- (P, criticalIdeal P) for the prime ideal P given by listForms in n = numcols Q variables over QQ (p = 0) or ZZ/p
    n := numcols Q;
    if numrows Q != n or numrows u != n or numcols u != 1 then error "criticalReport: Q must be n x n and u n x 1";
    kk := if p == 0 then QQ else ZZ/p;
    x := local x;
    S := kk(monoid[x_1..x_n]);
    P := ideal(apply(generators, f -> fromListForm(S, f)) | {0_S});
    (P, criticalIdeal(P, sub(Q, kk), sub(u, kk), Saturate => saturation)))

criticalReport = method(Options => {Saturate => "auto"})
criticalReport(List, Matrix, Matrix, ZZ) := String => o -> (generators, Q, u, p) -> (
    -- {codim, saturated (0/1), dim J, degree J, listForms of the g_i, pointsReport J or {}} for the Lagrange
    -- ideal J of the prime ideal given by listForms in n = numcols Q variables, over QQ (p = 0; then with
    -- pointsReport J when J is zero-dimensional) or over ZZ/p; Q (n x n) and u (n x 1) over QQ
    (P, J) := lagrangeOver(generators, Q, u, p, o.Saturate);
    d := dim J;
    points := if d == 0 and p == 0 then pointsReport J else "{}";  -- spliced as text: value and toString again cost 30%
    toString {codim P, if J.cache#"saturated" then 1 else 0, d, degree J, apply(J.cache#"combinations", listForm),
              points})

criticalCounts = method(Options => {Saturate => "auto"})
criticalCounts(List, Matrix, Matrix, List) := String => o -> (generators, Q, u, primes) -> (
    -- {{p, saturated (0/1), dim J, degree J} for each prime p in primes}: the Lagrange ideal J of criticalReport
    -- modulo each prime (F4, independent random combinations for each), in one call
    toString apply(primes, p -> (
        J := last lagrangeOver(generators, Q, u, p, o.Saturate);
        {p, if J.cache#"saturated" then 1 else 0, dim J, degree J})))

waringCounts = method()
waringCounts(List, Matrix, Matrix, List) := String => (exponents, Q, u, primes) -> (
    -- {{p, dim, degree} for each prime p}: the critical points of L = (c - u)^T Q (c - u) o phi, where
    -- phi(a, s) = a_1 l_1^d + a_2 l_2^d, l_i = x_1 + s_(i,2) x_2 + ... + s_(i,n) x_n, and c = the coefficients
    -- of the monomials x^e, e in exponents (all of degree d), modulo p.  Tangent equations
    -- <Q (phi - u), l_i^(d-1) x_j> = 0 (i = 1, 2, j = 1..n: the partial derivatives divided by a_i), with
    -- T (s_(1,2) - s_(2,2)) = 1 (saturation by the hyperplane s_(1,2) = s_(2,2), which holds l_1 = l_2), F4.
    n := #(exponents#0);
    d := sum(exponents#0);
    toString apply(primes, p -> (
        kk := ZZ/p;
        s := local s; a := local a; T := local T; x := local x;
        R := kk[s_(1,2)..s_(1,n), s_(2,2)..s_(2,n), a_1, a_2, T];
        S := R[x_1..x_n];
        l := apply({1, 2}, i -> S_0 + sum(1..n-1, j -> R_((i-1)*(n-1) + j-1) * S_j));
        coords := g -> matrix{apply(exponents, e -> coefficient(S_e, g))};
        phi := R_(2*n-2) * l#0^d + R_(2*n-1) * l#1^d;
        w := (coords phi - sub(transpose u, R)) * sub(Q, R);
        equations := flatten apply(l, li -> (
            lower := li^(d-1);
            apply(n, j -> (w * transpose coords(lower * S_j))_(0,0))));
        J := ideal(equations | {R_(2*n) * (R_0 - R_(n-1)) - 1});
        J = ideal groebnerBasis(J, Strategy => "F4");
        {p, dim J, degree J})))

subspaceCounts = method()
subspaceCounts(List, Matrix, Matrix, List) := String => (exponents, Q, u, primes) -> (
    -- {{p, dim, degree} for each prime p}: the critical points of r(v) = (M u)^T (M Q^-1 M^T)^-1 (M u), the squared
    -- distance (in Q) from u to the forms of degree d in the plane of linear forms vanishing at v = (v_1, v_2, 1),
    -- where M = the matrix of the derivation D_v from the ternary forms of degree d (coordinates: the coefficients
    -- of the monomials x^e, e in exponents) to those of degree d - 1.  r = N/D with D = det(M Q^-1 M^T) and
    -- N = -det of D's matrix bordered by M u; the ideal of the numerators of dr/dv_1, dr/dv_2 (F4), saturated by D,
    -- modulo p.
    if #(exponents#0) != 3 then error "subspaceCounts: ternary forms only";
    d := sum(exponents#0);
    toString apply(primes, p -> (
        kk := ZZ/p;
        v := local v; x := local x;
        R := kk[v_1, v_2];
        S := R[x_1..x_3];
        lower := rsort apply(compositions(3, d - 1), toList);
        derivation := h -> R_0 * diff(S_0, h) + R_1 * diff(S_1, h) + diff(S_2, h);
        M := matrix apply(lower, e -> apply(exponents, f -> lift(coefficient(S_e, derivation S_f), R)));
        H := M * sub(inverse sub(Q, kk), R) * transpose M;
        m := M * sub(u, R);
        D := det H;
        N := - det((H | m) || (transpose m | matrix{{0_R}}));
        gradient := apply(2, i -> diff(R_i, N) * D - N * diff(R_i, D));
        J := saturate(ideal groebnerBasis(ideal gradient, Strategy => "F4"), D);
        {p, dim J, degree J})))

singularPrimes = method()
singularPrimes(ZZ, List) := String => (n, generators) -> (
    -- the minimal primes of the singular locus P + (r x r minors of the Jacobian), r = codim P, of the
    -- prime ideal given by listForms in n variables over QQ: {listForms of each prime's minimal generators}
    x := local x;
    S := QQ(monoid[x_1..x_n]);
    P := ideal(apply(generators, f -> fromListForm(S, f)) | {0_S});
    r := codim P;
    if r == 0 then return toString {};
    singular := P + minors(r, jacobian P);
    toString apply(minimalPrimes singular, Z -> apply(flatten entries mingens Z, listForm)))

pullbackReport = method(Options => {Combinations => {}})
pullbackReport(NeuralNetwork, List, Matrix, Matrix) := String => o -> (N, arguments, Q, u) -> (
    -- The weights of a chart whose network is a critical point of (c-u)^T Q (c-u) on the smooth part of
    -- V(P): pointsReport of the ideal in QQ[free weights, l_1..l_r] of P(c(w)) = 0 and
    -- Q(c(w) - u) = sum_i l_i grad g_i(c(w)), where arguments = {chart, listForms of P's generators in
    -- N#CoordinateRing} and Combinations = listForms of g_1..g_r (as in criticalIdeal).
    (chart, generators) := toSequence arguments;
    R := N#WeightRing; S := N#CoordinateRing; n := numgens S;
    if #chart != numgens R then error "pullbackReport: expected one chart entry per weight";
    g := apply(o.Combinations, f -> fromListForm(S, f));
    r := #g;
    free := select(numgens R, i -> chart#i === null);
    l := local l;
    F := QQ(monoid[apply(free, i -> R_i) | toList(l_1..l_r)]);
    slot := hashTable apply(#free, k -> (free#k, F_k));
    onChart := map(F, R, apply(numgens R, i -> if slot#?i then slot#i else promote(chart#i, F)));
    phi := map(F, S, apply(flatten entries matrix N#Parametrization, f -> onChart f));
    c := transpose matrix{gens S};
    Jg := if r > 0 then (transpose jacobian matrix{g})^{0..r-1} else map(S^0, S^n, 0);
    lam := transpose matrix{drop(gens F, #free)};
    lagrange := phi(sub(Q, S) * (c - sub(u, S))) - (if r > 0 then transpose phi(Jg) * lam else 0);
    pointsReport ideal(apply(generators, f -> phi fromListForm(S, f)) | flatten entries lagrange | {0_F}))

imageAvoidsSmoothPart = method()
imageAvoidsSmoothPart(NeuralNetwork, List, List) := Boolean => (N, chart, generators) -> (
    -- whether the networks of a chart (null: free weight) that lie on V(P), P given by listForms in
    -- N#CoordinateRing, all lie on its singular locus: every generator h of P + (r x r minors of the
    -- Jacobian of P) satisfies c^*(P) : c^*(h)^infinity = 1 in QQ[free weights] (so c^*(h) is in the radical
    -- of c^*(P)).  Then no smooth point of V(P) is the network of a weight vector of this chart, over C.
    R := N#WeightRing; S := N#CoordinateRing;
    P := ideal(apply(generators, f -> fromListForm(S, f)) | {0_S});
    singular := P + minors(codim P, jacobian P);
    free := select(numgens R, i -> chart#i === null);
    F := QQ(monoid[apply(free, i -> R_i)]);
    slot := hashTable apply(#free, k -> (free#k, F_k));
    onChart := map(F, R, apply(numgens R, i -> if slot#?i then slot#i else promote(chart#i, F)));
    phi := map(F, S, apply(flatten entries matrix N#Parametrization, f -> onChart f));
    A := phi P;
    all(flatten entries gens singular, h -> saturate(A, phi h) == 1))

numericalCriticalCount = method(Options => {Combinations => null, SolutionCount => null})
numericalCriticalCount(NeuralNetwork, List, Matrix, Matrix) := String => o -> (N, generators, Qm, um) -> (
    -- Numerical count of the critical points of (c-u)^T Q (c-u) on the closure X of the network's image, its
    -- ideal P given by listForms in N#CoordinateRing, g_1..g_r (Combinations, listForms; default P's
    -- generators) as in criticalIdeal: monodromy on the square system g(c) = 0, Q(c - a) = sum_i l_i grad
    -- g_i(c) with parameters a (seeded at the image of random complex weights), stopped at
    -- SolutionCount solutions or after 20 loops without a new one; the solutions are then tracked to
    -- a = u.  {solutions found at generic a, regular endpoints at u, those on X (generators of P below 1e-6
    -- relative), paths tracked}.  Heuristic: floating point, no certification.
    g := if o.Combinations === null then generators else o.Combinations;
    u := flatten entries um;
    S := N#CoordinateRing; n := numgens S; r := #g;
    scale := max apply(flatten entries Qm, a -> abs a);
    Qc := sub((1/scale) * Qm, CC);
    (a, c, l) := (local a, local c, local l);
    Pr := CC[a_1..a_n][c_1..c_n, l_1..l_r];
    toP := map(Pr, S, take(gens Pr, n));
    gP := apply(g, f -> toP fromListForm(S, f));
    Jg := if r > 0 then (transpose jacobian matrix{gP})^{0..r-1}_{0..n-1} else map(Pr^0, Pr^n, 0);
    cvec := transpose matrix{take(gens Pr, n)};
    avec := transpose matrix{apply(gens coefficientRing Pr, x -> x_Pr)};
    lagrange := sub(Qc, Pr) * (cvec - avec) - (if r > 0 then transpose Jg * transpose matrix{drop(gens Pr, n)} else 0);
    -- MonodromySolver (and NAGtypes, whose symbol Coordinates would shadow this package's) is loaded only here,
    -- and its functions and option names are looked up by name
    needsPackage "MonodromySolver";
    nag := name -> value getGlobalSymbol name;
    option := (name, v) -> getGlobalSymbol name => v;
    sys := (nag "polySystem")(gP | flatten entries lagrange);
    w0 := apply(numgens N#WeightRing, i -> random CC);
    c0 := apply(flatten entries matrix N#Parametrization, f -> sub(f, matrix{w0}));
    JgAt := if r > 0 then sub(sub(Jg, apply(n, i -> Pr_i => c0#i)), CC) else map(CC^0, CC^n, 0);
    l0 := apply(r, i -> random CC);
    direction := if r > 0 then inverse(Qc) * transpose(JgAt) * transpose matrix{l0} else map(CC^n, CC^1, 0);
    factor := if r > 0 and norm direction > 0 then norm(matrix{c0}) / norm(direction) else 1;
    u0 := flatten entries(transpose matrix{c0} - factor * direction);
    point := nag "point";
    (V, paths) := (nag "monodromySolve")(sys, point{u0}, {point{c0 | apply(l0, z -> factor * z)}},
        option("NumberOfNodes", 4), option("NumberOfEdges", 3), option("NumberOfRepeats", 20),
        option("TargetSolutionCount", o.SolutionCount));
    solutions := (nag "points") V#(getGlobalSymbol "PartialSols");
    specialize := nag "specializeSystem";
    ends := (nag "track")(specialize(V#(getGlobalSymbol "BasePoint"), sys),
        specialize(point{apply(u, x -> sub(x, CC))}, sys), solutions);
    regular := select(ends, s -> (nag "status") s === nag "Regular");
    gensP := apply(generators, f -> fromListForm(S, f));
    onX := select(regular, s -> (
        z := matrix{take((nag "coordinates") s, n)};
        all(gensP, f -> abs sub(f, z) < 1e-6 * (1 + norm z)^(first degree f))));
    toString {#solutions, #regular, #onX, if instance(paths, ZZ) then paths else -1})

-- Linear sections modulo small primes, for the completeness certificate of interpolated ideals (Python:
-- neurom2.variety.certificate, which states what they prove).  J is given by integer polynomials in n
-- coordinates; Lambda is cut out by the given linear forms; the last coordinate is the affine chart.

LinearSection = new Type of HashTable
LinearSection.synonym = "linear section of the variety of integer equations"
net LinearSection := L -> (
    "LinearSection{" | toString numgens ring L#"generators" | " variables, " | toString numcols L#"generators" | " generators}")

linearSection = method()
linearSection(List, List, List) := LinearSection => (exps, polys, forms) -> (
    -- J + (forms) over ZZ, built once for all primes (the generators as a one-row matrix over ZZ[x_1..x_n]): J given
    -- by exps (exponent vectors) and polys (lists of {index into exps, integer coefficient}), the forms by
    -- integer coefficients
    n := #(first exps);
    x := getSymbol "x";
    R := ZZ(monoid[x_1..x_n]);
    monomials := apply(exps, e -> R_e);
    new LinearSection from {"generators" => matrix{
        apply(polys, f -> sum(f, t -> t#1 * monomials#(t#0))) | apply(forms, l -> sum(n, j -> l#j * R_j))}})

lastSection = new MutableHashTable
lastSectionOf = (exps, polys, forms) -> (
    -- linearSection, remembered for the last data given: the certificate asks for the same section at several
    -- batches of primes, and builds it once
    key := (exps, polys, forms);
    if not lastSection#?key then (
        scan(keys lastSection, k -> remove(lastSection, k));
        lastSection#key = linearSection key);
    lastSection#key)

sectionModulo = (L, p, order) -> (
    -- the ring ZZ/p[x_1..x_n] with the given monomial order, and the section's generators reduced into it
    F := L#"generators";
    n := numgens ring F;
    x := getSymbol "x";
    S := (ZZ/p)(monoid[x_1..x_n, MonomialOrder => order]);
    (S, (map(S, ring F, gens S)) F))

linearSectionLength = method()
linearSectionLength(List, List, List, List) := String => (exps, polys, forms, primes) ->
    linearSectionLength(lastSectionOf(exps, polys, forms), primes)
linearSectionLength(LinearSection, List) := String => (L, primes) -> toString apply(primes, p -> (
    -- per prime p < 2^15: {p, dim, length} of ZZ/p[x]/(J + forms + x_n), from grevlex lead terms (mathicgb's F4
    -- behind groebnerBasis, fast below 2^16); length 0 when the dimension is positive
    (S, F) := sectionModulo(L, p, GRevLex);
    artinian := monomialIdeal leadTerm groebnerBasis(ideal(F | matrix{{S_(numgens S - 1)}}), Strategy => "F4");
    {p, dim artinian, if dim artinian == 0 then degree artinian else 0}))

linearSectionEliminant = method()
linearSectionEliminant(List, List, List, List) := String => (exps, polys, forms, primes) ->
    linearSectionEliminant(lastSectionOf(exps, polys, forms), primes)
linearSectionEliminant(LinearSection, List) := String => (L, primes) -> toString apply(primes, p -> (
    -- per prime p < 2^15: {p, dim, size, eliminant} for A = ZZ/p[x]/(J + forms + (x_n - 1)): the lead terms of an
    -- order eliminating x_1..x_(n-2) give dim and size (the dimension of A over ZZ/p when dim = 0), and the
    -- eliminant is the Groebner basis element in x_(n-1) alone, the minimal polynomial of x_(n-1) on A
    -- (coefficients ascending; {} if there is none)
    n := numgens ring L#"generators";
    (T, F) := sectionModulo(L, p, {Eliminate(n - 2)});
    G := groebnerBasis(ideal(F | matrix{{T_(n - 1) - 1}}), Strategy => "F4");
    affine := monomialIdeal leadTerm G;
    eliminant := select(flatten entries G, g -> support g == {T_(n - 2)});
    {p, dim affine, if dim affine == 0 then degree affine else 0,
     if #eliminant == 1 then apply(first degree first eliminant + 1, k -> lift(coefficient(T_(n - 2)^k, first eliminant), ZZ))
     else {}}))

-- singular locus and subnetworks (Python: neurom2.properties.subnetworks, neurom2.properties.singular).
-- Components are reported as {dim, degree, minimal generators (listForms)} of a prime ideal, dim the Krull
-- dimension of its quotient ring (the affine cone), -1 for the unit ideal.
export {"subnetworkReport", "singularLocusReport", "criticalValuesReport", "radicalMember", "nonPropernessReport",
    "slicedPropernessReport"}

primeReport := P -> {dim P, if P == 1 then 0 else degree P, apply(flatten entries mingens P, listForm)}

subnetworkReport = method()
subnetworkReport(NeuralNetwork, List) := String => (N, zeros) -> (
    -- the ideal of the closure of the image of N with the weights at the 0-based indices zeros set to 0
    -- (a sparsity pattern), by elimination (ker of the ring map); the symmetry chart is kept for the
    -- rescalings of sigma = x^r, r >= 2 (they preserve zeros) except where it would fix a zero weight, and
    -- dropped for linear networks (GL does not preserve a sparsity pattern)
    R := N#WeightRing;
    linear := #(N#Activation) == 2;
    fixed := hashTable select(symmetryChart N, p -> not member(p#0, zeros) and (#zeros == 0 or not linear));
    sparse := map(R, R, apply(numgens R, i -> if member(i, zeros) then 0_R else if fixed#?i then fixed#i * 1_R else R_i));
    I := trim ker map(R, N#CoordinateRing, apply(flatten entries matrix N#Parametrization, f -> sparse f));
    toString primeReport I)

singularLocusReport = method()
singularLocusReport(ZZ, List) := String => (n, generators) -> (
    -- for the prime ideal P of the listForms in n variables over QQ, with c = codim P: the singular locus
    -- P + (c x c minors of the Jacobian of P's generators) (Jacobian criterion), as
    -- {c, {dim, degree} of the singular locus, primeReport of each of its minimal primes}
    x := local x;
    S := QQ(monoid[x_1..x_n]);
    P := ideal(apply(generators, f -> fromListForm(S, f)) | {0_S});
    c := codim P;
    singular := if c == 0 then ideal 1_S else trim(P + minors(c, jacobian P));
    toString {c, {dim singular, if singular == 1 then 0 else degree singular},
              if singular == 1 then {} else apply(minimalPrimes singular, primeReport)})

criticalValuesReport = method()
criticalValuesReport NeuralNetwork := String => N -> (
    -- the Zariski closure of the critical values of the parametrization on the symmetry chart: eliminate
    -- the free weights w from (c - mu(w), maximal minors of d mu / d w); on the chart the rank of d mu equals
    -- the rank of the full Jacobian (each fixed weight's column is a combination of the others along its
    -- symmetry orbit).  {primeReport of each minimal prime}
    R := N#WeightRing;
    S := N#CoordinateRing;
    fixed := hashTable symmetryChart N;
    free := select(numgens R, i -> not fixed#?i);
    T := QQ(monoid[apply(free, i -> R_i) | gens S, MonomialOrder => Eliminate(#free)]);
    slot := hashTable apply(#free, k -> free#k => T_k);
    toT := map(T, R, apply(numgens R, i -> if fixed#?i then fixed#i * 1_T else slot#i));
    images := apply(flatten entries matrix N#Parametrization, f -> toT f);
    m := numgens S;
    jac := matrix apply(images, f -> apply(#free, k -> diff(T_k, f)));
    J := ideal apply(m, j -> T_(#free + j) - images#j) + minors(m, jac);
    toS := map(S, T, toList(#free : 0_S) | gens S);
    closure := trim toS ideal selectInSubring(1, gens gb J);
    toString apply(minimalPrimes closure, primeReport))

radicalMember = method()
radicalMember(ZZ, List, List) := String => (n, generators, f) -> (
    -- 1 if the listForm f lies in the radical of the ideal of the listForms generators in n variables over
    -- QQ (1 in I + (1 - t f), Rabinowitsch), else 0
    x := local x;
    S := QQ(monoid[x_1..x_n]);
    T := S[local t];
    I := sub(ideal(apply(generators, g -> fromListForm(S, g)) | {0_S}), T);
    toString(if I + ideal(1 - T_0 * sub(fromListForm(S, f), T)) == 1 then 1 else 0))

leadingIdeals := (N, fixed) -> (
    -- for the parametrization with the weights of the hash table fixed (index => value) and each free weight
    -- t: the Groebner basis of the graph ideal in an order eliminating the other free weights gives the
    -- polynomials g(t, c) of the graph; L_t = the ideal of the leading coefficients in t of those of positive
    -- degree in t (the zero ideal when t is not algebraic over QQ[c] on the graph).  At a point of the image
    -- closure off V(L_t), t stays bounded on the fiber nearby (Cauchy's bound).
    R := N#WeightRing;
    S := N#CoordinateRing;
    free := select(numgens R, i -> not fixed#?i);
    n := #free;
    images := flatten entries matrix N#Parametrization;
    apply(free, t -> (
        others := delete(t, free);
        T := QQ(monoid[apply(others, i -> R_i) | {R_t} | gens S, MonomialOrder => Eliminate(n - 1)]);
        slot := hashTable apply(#others, k -> others#k => T_k);
        toT := map(T, R, apply(numgens R, i -> if fixed#?i then fixed#i * 1_T else if i == t then T_(n - 1) else slot#i));
        G := ideal apply(#images, j -> T_(n + j) - toT images#j);
        u := T_(n - 1);
        toS := map(S, T, toList(n : 0_S) | gens S);
        lcs := apply(select(flatten entries selectInSubring(1, gens gb G), g -> degree(u, g) > 0),
            g -> toS (last coefficients(g, Variables => {u}))_(0, 0));
        trim ideal(lcs | {0_S}))))

nonPropernessReport = method()
nonPropernessReport NeuralNetwork := String => N -> (
    -- Candidates for the points of X = closure of the image not reached by the symmetry chart: with L_t as in
    -- leadingIdeals, the chart map is proper over X minus the union S of the V(L_t), and reaches all of it.
    -- {number of weights integral over QQ[c] (L_t = 1), primeReport of each minimal prime of X cap S}
    X := neuromanifoldIdeal N;
    leading := leadingIdeals(N, hashTable symmetryChart N);
    integral := #select(leading, L -> L == 1);
    union := X + product leading;
    toString {integral, if union == 1 then {} else apply(minimalPrimes union, primeReport)})

slicedPropernessReport = method()
slicedPropernessReport(NeuralNetwork, List) := String => (N, slices) -> (
    -- The same for sub-slices: each slice a list of pairs {0-based weight index, rational value} fixing those
    -- weights, whose map the caller has checked to be dense in X (Jacobian rank dim X).  Off the non-properness
    -- candidates S_k of slice k the slice reaches all of X, so only X cap (intersection of the S_k) is left.
    -- Slices are taken in order until that set has dimension <= 0 (finitely many points, or the origin of a cone).
    -- {dim X, number of slices used, of them with every free weight integral over QQ[c], primeReport of each
    -- minimal prime}
    X := neuromanifoldIdeal N;
    union := X;
    (used, integral) := (0, 0);
    for slice in slices do (
        if dim union <= 0 then break;
        C := product leadingIdeals(N, hashTable apply(slice, p -> p#0 => p#1));
        if C == 1 then integral = integral + 1;
        union = union + C;
        used = used + 1);
    toString {dim X, used, integral, if union == 1 then {} else apply(minimalPrimes union, primeReport)})

-- identifiability (fibers) (Python: neurom2.properties.fibers, which states what the counts prove).
-- A chart (one rational or null per weight, as for fiberIdeal) is a slice transverse to the continuous
-- symmetries; theta0 is one integer per weight, a point of the chart.  Both functions count the points theta of
-- the chart with mu(theta) = mu(theta0) off the dead-neuron loci (all outgoing weights of a hidden neuron zero).

deadNeurons := N -> (
    -- per hidden neuron, the indices of its outgoing weights
    widths := N#Widths; position := 0; dead := {};
    for l from 1 to #widths - 1 do (
        (rows, cols) := (widths#l, widths#(l-1));
        if l > 1 then dead = dead | apply(cols, j -> apply(rows, i -> position + i * cols + j));
        position = position + rows * cols + (if N#Bias then rows else 0));
    dead)

fiberCountModular = method()
fiberCountModular(NeuralNetwork, List, List, ZZ) := String => (N, theta0, chart, p) -> (
    -- {dim, degree, distinct} of the fiber ideal over ZZ/p, saturated by each dead-neuron ideal when it is not
    -- zero-dimensional: degree = its number of points with multiplicity over the algebraic closure, distinct
    -- = the degree of the squarefree part of the minimal polynomial of a random linear form (a lower bound for the
    -- number of distinct points, equal to it when the form separates them); -1 for both when dim != 0.
    kk := ZZ/p;
    R := N#WeightRing;
    phi := chartMap(N, chart, kk);
    F := target phi;
    at0 := map(kk, R, apply(theta0, a -> promote(a, kk)));
    J := ideal apply(flatten entries matrix N#Parametrization, f -> phi f - promote(at0 f, F));
    J = ideal gens forceGB groebnerBasis(J, Strategy => "F4"); -- F4 (mgb) over ZZ/p: far faster than the default here
    if dim J != 0 then scan(deadNeurons N, idx -> (
        D := ideal apply(idx, i -> phi R_i);
        if D != 1 then J = saturate(J, D)));
    d := dim J;
    if d != 0 then return toString {d, -1, -1};
    -- the minimal polynomial g of multiplication by a random linear form on A = F/J, from the Krylov vectors of
    -- a random vector (equal to it with high probability; its distinct roots are the distinct values of the form)
    A := F/J;
    B := basis A;
    e := numcols B;
    M := lift(last coefficients(sum(numgens A, i -> random(kk) * A_i) * B, Monomials => B), kk);
    v := random(kk^e, kk^1);
    K := v;
    scan(e, k -> K = K | M * K_{k});
    r := rank K;
    c := gens ker K_{0..r};
    T := local T;
    S := kk(monoid[T]);
    g := sum(r + 1, k -> c_(k, 0) * S_0^k);
    toString {d, e, first degree(g // gcd(g, diff(S_0, g)))})

firstLayerClasses := (N, chart) -> (
    -- the canonical representative of a point of the chart modulo the permutations of the first hidden layer:
    -- its neurons (blocks of free weights: input weights, bias, outgoing weights) sorted by their first free weight
    widths := N#Widths;
    (d0, d1, d2) := (widths#0, widths#1, widths#2);
    R := N#WeightRing;
    free := select(numgens R, i -> chart#i === null);
    slot := hashTable apply(#free, k -> (free#k, k));
    after := d1 * d0 + (if N#Bias then d1 else 0);
    blocks := apply(d1, i -> apply(select(apply(d0, j -> i * d0 + j) | (if N#Bias then {d1 * d0 + i} else {})
        | apply(d2, k -> after + k * d1 + i), idx -> slot#?idx), idx -> slot#idx));
    s -> (
        z := (value getGlobalSymbol "coordinates") s;
        order := apply(sort apply(d1, i -> {realPart z#(blocks#i#0), imaginaryPart z#(blocks#i#0), i}), t -> t#2);
        w := new MutableList from z;
        scan(d1, q -> scan(#(blocks#q), k -> w#(blocks#q#k) = z#(blocks#(order#q)#k)));
        (value getGlobalSymbol "point") {toList w}))

fiberCountMonodromy = method(Options => {Repeats => 5, SolutionCount => null, ModuloFirstLayer => false})
fiberCountMonodromy(NeuralNetwork, List) := String => o -> (N, chart) -> (
    -- Numerical count of the points of the chart over a generic point c of the image: monodromy on the
    -- system mu(theta) - c (random linear combinations of it, as many as free weights, when there are more
    -- coordinates than free weights) with parameters c, seeded at the image c0 of random complex weights;
    -- stopped after Repeats loops without a new solution (or at SolutionCount).  The solutions are tracked to
    -- the image c1 of other random complex weights of the chart and kept when regular and mu(theta) = c1
    -- (relative 1e-6).  {solutions at generic c, regular endpoints, those in the fiber}.  Floating point,
    -- no certification: a lower bound, complete with high probability under the stopping rule.  With
    -- ModuloFirstLayer, solutions that differ by a permutation of the first hidden layer's neurons are one
    -- (MonodromySolver's Equivalencer): every count is then of those classes.
    phi := chartMap(N, chart, QQ);
    F := target phi;
    images := apply(flatten entries matrix N#Parametrization, f -> phi f);
    n := numgens F; m := #images;
    combination := if m == n then id_(QQ^m) else random(QQ^n, QQ^m);
    (a, y) := (local a, local y);
    P := CC[a_1..a_m][y_1..y_n];
    toP := map(P, F, gens P);
    avec := transpose matrix{apply(gens coefficientRing P, x -> x_P)};
    equations := sub(combination, P) * (transpose matrix{apply(images, f -> toP f)} - avec);
    needsPackage "MonodromySolver";
    nag := name -> value getGlobalSymbol name;
    option := (name, v) -> getGlobalSymbol name => v;
    point := nag "point";
    imageAt := w -> apply(images, f -> sub(f, matrix{w}));
    w0 := apply(n, i -> random CC);
    sys := (nag "polySystem") flatten entries equations;
    (V, paths) := (nag "monodromySolve")(sys, point{imageAt w0}, {point{w0}},
        option("NumberOfNodes", 4), option("NumberOfEdges", 3), option("NumberOfRepeats", o.Repeats),
        option("TargetSolutionCount", o.SolutionCount),
        option("Equivalencer", if o.ModuloFirstLayer then firstLayerClasses(N, chart) else null));
    solutions := (nag "points") V#(getGlobalSymbol "PartialSols");
    c1 := imageAt apply(n, i -> random CC);
    specialize := nag "specializeSystem";
    ends := (nag "track")(specialize(V#(getGlobalSymbol "BasePoint"), sys), specialize(point{c1}, sys), solutions);
    regular := select(ends, s -> (nag "status") s === nag "Regular");
    scale := 1 + max apply(c1, abs);
    fiber := select(regular, s -> (
        v := imageAt (nag "coordinates") s;
        max apply(m, k -> abs(v#k - c1#k)) < 1e-6 * scale));
    toString {#solutions, #regular, #fiber})

-- Critical points of a quadratic loss in a slice of weight space, counted by monodromy (Python:
-- neurom2.training.slice_count, which states what the count proves).

sliceChart := (N, k, p) -> (
    -- symmetryChart N, then free weights fixed (from the first) to random integers in 1..9 while the Jacobian
    -- of the parametrization in the free weights keeps rank >= k at a random point modulo p; {chart, rank}
    R := N#WeightRing;
    fixed := hashTable symmetryChart N;
    chart := new MutableList from apply(numgens R, i -> if fixed#?i then fixed#i else null);
    kk := ZZ/p;
    jac := jacobian matrix N#Parametrization;
    rankAt := () -> (
        free := select(numgens R, i -> chart#i === null);
        at := apply(numgens R, i -> if chart#i === null then random kk else promote(chart#i, kk));
        rank sub(jac^free, matrix{at}));
    scan(numgens R, i -> (
        if chart#i === null and #select(toList chart, v -> v === null) > k then (
            chart#i = random(1, 9);
            if rankAt() < k then chart#i = null)));
    (toList chart, rankAt()))

pointStore := (n, tolerance) -> (
    -- points of C^n up to relative distance tolerance: cells of a random projection, neighbouring cells searched
    new MutableHashTable from {"projection" => apply(n, i -> random CC), "tolerance" => tolerance,
        "cells" => new MutableHashTable, "points" => new MutableList})

storeIndex := (store, z) -> (
    -- the index of the point of store equal to z (up to its tolerance), z added when new
    -- (the projection's coefficients have modulus < 2, so equal points lie in neighbouring cells of width 2 n scale)
    scale := store#"tolerance" * (1 + max apply(z, abs));
    v := sum(#z, i -> store#"projection"#i * z#i);
    (a, b) := (floor(realPart v / (2 * #z * scale)), floor(imaginaryPart v / (2 * #z * scale)));
    for key in flatten table({-1, 0, 1}, {-1, 0, 1}, (da, db) -> (a + da, b + db)) do
        if store#"cells"#?key then for j in store#"cells"#key do (
            w := store#"points"#j;
            if max apply(#z, q -> abs(z#q - w#q)) < scale then return j);
    j := #(store#"points");
    store#"points"#j = z;
    store#"cells"#(a, b) = (if store#"cells"#?(a, b) then store#"cells"#(a, b) else {}) | {j};
    j)

arcFamily := (nag, system) -> (
    -- the homotopies from parameters pa to pb along the arcs (1 - tau) pa + tau pb, tau = gamma t / (1 + gamma t - t)
    -- (Sommese-Wampler 7.1.3), with pa, pb and gamma as parameters (built once); the arc back is that of 1/gamma
    m := (nag "numParameters") system;
    segment := (nag "parametricSegmentHomotopy") system;
    parametersKey := getGlobalSymbol "Parameters";
    t := segment#(getGlobalSymbol "GateHomotopy")#"T";
    gamma := (nag "inputGate") (symbol gamma);
    tau := gamma * t / (1 + gamma * t - t);
    ends := transpose segment#parametersKey;
    H := sub((nag "gateMatrix") system, transpose (nag "parameters") system, (1 - tau) * ends^{0..m-1} + tau * ends^{m..2*m-1});
    (nag "gateHomotopy")(H, (nag "vars") system, t, parametersKey => segment#parametersKey | (nag "gateMatrix"){{gamma}}))

arcHomotopy := (nag, family, gamma, pa, pb) -> (nag "specialize")(family, pa || pb || matrix{{gamma}})

monodromyEdge := (nag, family, a, b, nodes) -> (
    -- an arc between the parameter nodes a and b (random gamma) and its correspondences, both directions
    gamma := exp(2 * pi * ii * random RR);
    {{a, b, arcHomotopy(nag, family, gamma, nodes#a#"parameters", nodes#b#"parameters"), new MutableHashTable},
     {b, a, arcHomotopy(nag, family, 1 / gamma, nodes#b#"parameters", nodes#a#"parameters"), new MutableHashTable}})

closeGraph := (nag, edges, nodes) -> (
    -- track every known solution of every node along every arc (in batches, both directions) until the
    -- correspondences are complete; a failed path (not regular, or ending where another path ends) is recorded
    -- as tracked.  {paths, failed}
    (paths, failed, progress) := (0, 0, true);
    while progress do (
        progress = false;
        scan(edges, edge -> scan({0, 1}, dir -> (
            (a, b, arc, forward) := toSequence edge#dir;
            backward := edge#(1 - dir)#3;
            source := nodes#a#"store";
            untracked := select(#(source#"points"), i -> not forward#?i);
            if #untracked > 0 then (
                progress = true;
                paths = paths + #untracked;
                ends := (nag "trackHomotopy")(arc, apply(untracked, i -> (nag "point"){source#"points"#i}));
                scan(untracked, ends, (i, s) -> (
                    j := if (nag "status") s === nag "Regular" then storeIndex(nodes#b#"store", (nag "coordinates") s);
                    if j === null or backward#?j then (forward#i = null; failed = failed + 1)
                    else (forward#i = j; backward#j = i))))))));
    {paths, failed})

graphMonodromy := (nag, family, p0, theta0, repeats) -> (
    -- monodromy: nodes p0 and a random p1 joined by three arcs (two loops), closed (closeGraph); then new random
    -- nodes, each joined to p0 by three arcs (two more loops), until repeats of them in a row bring no new solution
    -- at p0.  {solutions at p0, paths, failed paths}
    node := p -> new HashTable from {"parameters" => p, "store" => pointStore(#theta0, 1e-6)};
    nodes := new MutableList from {node p0, node random(CC^(numrows p0), CC^1)};
    storeIndex(nodes#0#"store", theta0);
    edges := apply(3, e -> monodromyEdge(nag, family, 0, 1, nodes));
    counts := closeGraph(nag, edges, nodes);
    stale := 0;
    while stale < repeats do (
        known := #(nodes#0#"store"#"points");
        nodes#(#nodes) = node random(CC^(numrows p0), CC^1);
        edges = edges | apply(3, e -> monodromyEdge(nag, family, 0, #nodes - 1, nodes));
        counts = counts + closeGraph(nag, edges, nodes);
        stale = if #(nodes#0#"store"#"points") > known then 0 else stale + 1);
    (toList nodes#0#"store"#"points", counts#0, counts#1))

sliceCriticalCount = method(Options => {Repeats => 3})
sliceCriticalCount(NeuralNetwork, ZZ, Matrix, Matrix) := String => o -> (N, k, Qm, um) -> (
    -- The critical points of L = (c - u)^T Q (c - u) on the image of a slice of weight space (sliceChart, k free
    -- weights, k = dim of the neurovariety): the gradient equations J^T Q (phi - a) = 0 in the free weights with
    -- parameters a, column j of J divided by the gcd of its entries (e.g. an output weight a_i in the derivatives by
    -- neuron i's input weights: the degenerate solutions a_i = 0 are dropped), as a circuit.  Seeded at
    -- a0 = phi(t0) + Q^-1 n (t0 random complex, J(t0)^T n = 0); solved by graphMonodromy (stopped after Repeats
    -- new loops without a new solution); the solutions are tracked to a = u (failed paths, and paths ending where
    -- another ended, again along new arcs, twice) and the regular endpoints grouped by their images phi (relative 1e-6).  {chart as {index, value}
    -- pairs, rank of the slice's Jacobian modulo 32003, solutions at a0, paths, failed paths, regular endpoints at
    -- u, images, sorted class sizes}.  Floating point, not certified.
    needsPackage "MonodromySolver";
    nag := name -> value getGlobalSymbol name;
    (chart, rank0) := sliceChart(N, k, 32003);
    R := N#WeightRing;
    free := select(numgens R, i -> chart#i === null);
    F := QQ(monoid[apply(free, i -> R_i)]);
    slot := hashTable apply(#free, j -> (free#j, F_j));
    phi := map(F, R, apply(numgens R, i -> if slot#?i then slot#i else promote(chart#i, F)));
    images := apply(flatten entries matrix N#Parametrization, f -> phi f);
    m := #images;
    Q := sub((1 / max apply(flatten entries Qm, abs)) * Qm, CC);
    columns := apply(gens F, y -> (column := apply(images, f -> diff(y, f)); g := gcd column; apply(column, f -> f // g)));
    gatePoly := nag "gatePolynomial";
    a := local a;
    A := apply(m, i -> (nag "inputGate") a_i);
    G := apply(images, gatePoly);
    residual := apply(m, i -> (nag "sumGate") apply(m, l -> Q_(i, l) * (G#l - A#l)));
    gradient := apply(columns, column -> (nag "sumGate") apply(m, i -> gatePoly(column#i) * residual#i));
    gateMatrix := nag "gateMatrix";
    system := (nag "gateSystem")(gateMatrix{A}, gateMatrix{(nag "getVarGates") F}, transpose gateMatrix{gradient});
    family := arcFamily(nag, system);
    imageAt := w -> apply(images, f -> sub(f, matrix{w}));
    theta0 := apply(#free, i -> random CC);
    J0 := matrix apply(images, f -> apply(gens F, y -> sub(diff(y, f), matrix{theta0})));
    z := random(CC^m, CC^1);
    p0 := transpose matrix{imageAt theta0} + solve(Q, z - J0 * solve(transpose J0 * J0, transpose J0 * z));
    (solutions, paths, failed) := graphMonodromy(nag, family, p0, theta0, o.Repeats);
    -- X is a cone (the last layer's weights scale f), so the critical points for u / max|u_i| are those for u scaled
    -- down: tracked there, the weights stay below the tracker's infinity threshold
    target := sub((1 / max(1, max apply(flatten entries um, abs))) * um, CC);
    (pending, endpoints) := (solutions, pointStore(#free, 1e-6));
    scan(3, attempt -> if #pending > 0 then (
        arc := arcHomotopy(nag, family, exp(2 * pi * ii * random RR), p0, target);
        ends := (nag "trackHomotopy")(arc, apply(pending, s -> (nag "point"){s}));
        pending = pending_(select(#ends, i -> (nag "status") ends#i =!= nag "Regular" or (
            known := #(endpoints#"points");
            storeIndex(endpoints, (nag "coordinates") ends#i) < known)))));
    regular := toList endpoints#"points";
    classes := pointStore(m, 1e-6);
    sizes := tally apply(regular, w -> storeIndex(classes, imageAt w));
    toString {apply(select(#chart, i -> chart#i =!= null), i -> {i, chart#i}), rank0, #solutions, paths, failed,
        #regular, #(classes#"points"), sort values sizes})

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

doc ///
  Key
    criticalIdeal
    (criticalIdeal, Ideal, Matrix, Matrix)
    Combinations
    [criticalIdeal, Combinations]
    [criticalIdeal, Saturate]
    criticalReport
    (criticalReport, List, Matrix, Matrix, ZZ)
    [criticalReport, Saturate]
    criticalCounts
    (criticalCounts, List, Matrix, Matrix, List)
    [criticalCounts, Saturate]
  Headline
    critical points of a quadratic loss on the smooth part of a variety (Lagrange ideal)
  Usage
    J = criticalIdeal(P, Q, u)
    criticalReport(generators, Q, u, p)
    criticalCounts(generators, Q, u, primes)
  Inputs
    P:Ideal
      a prime ideal in a polynomial ring over QQ or ZZ/p with n variables
    Q:Matrix
      n by n, symmetric: the metric of the loss (c-u)^T Q (c-u)
    u:Matrix
      n by 1: the center of the loss
    Combinations=>List
      r = codim P elements of P to use as g (default: the generators of P when there are r of them, else random
      integer combinations of them)
    Saturate=>String
      "auto" (saturate only when the Lagrange ideal is not zero-dimensional), "always" or "never"
  Outputs
    J:Ideal
      in k[c_1..c_n, l_1..l_r]: the points (c, l) with c in V(P) and Q(c-u) = sum_i l_i grad g_i(c)
  Description
    Text
      When J is zero-dimensional its points are exactly the critical points of the loss on the smooth part of
      V(P), each with its unique multipliers l (a point where the gradients of g are dependent would carry a
      positive-dimensional set of multipliers; where they are independent the point is smooth).  Otherwise
      J is saturated by a random maximal minor of the Jacobian of g, which is probabilistic.  Over ZZ/p the
      Groebner bases use F4.  J.cache#"combinations" holds g and J.cache#"saturated" whether J was saturated.
      criticalReport is the serialisation read by the Python package: {codim P, saturated, dim J, degree J,
      listForms of g, pointsReport J (over QQ, p = 0, when J is zero-dimensional)} for the prime ideal given by
      the listForms of its generators, over QQ or ZZ/p.  criticalCounts gives, in one call, {p, saturated, dim J,
      degree J} of the Lagrange ideal modulo each prime p of a list (independent random combinations for each): the
      modular check of a count over QQ.
    Example
      S = QQ[x,y]; P = ideal(x^2 + y^2 - 1);
      J = criticalIdeal(P, id_(QQ^2), matrix{{2},{0}})
      (dim J, degree J)
      criticalCounts({listForm(x^2 + y^2 - 1)}, id_(QQ^2), matrix{{2},{0}}, {101, 103})
///

doc ///
  Key
    singularPrimes
    (singularPrimes, ZZ, List)
  Headline
    the minimal primes of the singular locus of a prime ideal
  Usage
    singularPrimes(n, generators)
  Inputs
    n:ZZ
      the number of variables
    generators:List
      listForms of the generators of a prime ideal P over QQ
  Outputs
    :String
      the listForms of the minimal generators of each minimal prime of P + (r x r minors of its Jacobian),
      r = codim P
  Description
    Example
      S = QQ[x,y,z]; singularPrimes(3, {listForm(x*z - y^2)})
///

doc ///
  Key
    pullbackReport
    (pullbackReport, NeuralNetwork, List, Matrix, Matrix)
    [pullbackReport, Combinations]
  Headline
    the weights on a chart whose network is a critical point of a quadratic loss on a variety
  Usage
    pullbackReport(N, {chart, generators}, Q, u, Combinations => g)
  Inputs
    N:NeuralNetwork
    chart:List
      one entry per weight: a rational value, or null for a free weight
    generators:List
      listForms of the generators of a prime ideal P in N#CoordinateRing
    Q:Matrix
      the metric (n x n, over QQ)
    u:Matrix
      the center (n x 1, over QQ)
    Combinations=>List
      listForms of the r = codim P elements g_i of P that carry the multipliers, as in criticalIdeal
  Outputs
    :String
      pointsReport of the ideal in QQ[free weights, l_1..l_r] of P(c(w)) = 0 and Q(c(w) - u) = sum l_i grad g_i(c(w))
  Description
    Text
      Its real points are the real weights of the chart whose network is a real critical point of the loss on the
      smooth part of V(P), with the multipliers.
    Example
      N = neuralNetwork({2,1,1}, {0,0,1}); C = N#CoordinateRing; f = listForm(C_1^2 - 4*C_0*C_2);
      pullbackReport(N, {{1,null,null}, {f}}, id_(QQ^3), matrix{{1},{0},{-2}}, Combinations => {f})
///

doc ///
  Key
    imageAvoidsSmoothPart
    (imageAvoidsSmoothPart, NeuralNetwork, List, List)
  Headline
    whether the networks of a chart meet a variety only in its singular locus
  Usage
    imageAvoidsSmoothPart(N, chart, generators)
  Inputs
    N:NeuralNetwork
    chart:List
      one entry per weight: a rational value, or null for a free weight
    generators:List
      listForms of the generators of a prime ideal P in N#CoordinateRing
  Outputs
    :Boolean
      true if every weight vector of the chart whose network lies on V(P) has its network in the singular locus of V(P)
  Description
    Text
      Decided by saturations in the ring of the chart's free weights: each generator h of the singular locus'
      ideal pulls back into the radical of the pulled-back P.  For sigma = x^3 on (2,2,1), the binary cubics with a
      double root but not a triple root are not networks: they are limits of networks only.
    Example
      N = neuralNetwork({2,2,1}, {0,0,0,1}); C = N#CoordinateRing;
      disc = C_1^2*C_2^2 - 4*C_0*C_2^3 - 4*C_1^3*C_3 + 18*C_0*C_1*C_2*C_3 - 27*C_0^2*C_3^2;
      imageAvoidsSmoothPart(N, {1,null,1,null,null,null}, {listForm disc})
///

doc ///
  Key
    numericalCriticalCount
    (numericalCriticalCount, NeuralNetwork, List, Matrix, Matrix)
    [numericalCriticalCount, Combinations]
    [numericalCriticalCount, SolutionCount]
    SolutionCount
  Headline
    a numerical count of the critical points of a quadratic loss on a neurovariety (monodromy)
  Usage
    numericalCriticalCount(N, generators, Q, u)
  Inputs
    N:NeuralNetwork
    generators:List
      listForms of the generators of the neurovariety's ideal P in N#CoordinateRing
    Q:Matrix
      the metric, over QQ
    u:Matrix
      the center, a column over QQ
    Combinations=>List
      listForms of codim P elements of P, as used by criticalIdeal (default: the generators)
    SolutionCount=>ZZ
      monodromy stops when it has this many solutions
  Outputs
    :String
      {solutions found at generic parameters, regular endpoints at u, those on V(P), paths tracked}
  Description
    Text
      MonodromySolver on the square system g(c) = 0, Q(c-a) = sum l_i grad g_i(c) with parameters a, seeded at
      the image of random complex weights, then tracked to a = u.  Floating point, not certified: a check.
    Example
      setRandomSeed 1; N = neuralNetwork({2,1,1}, {0,0,1});
      C = N#CoordinateRing;
      numericalCriticalCount(N, {listForm(C_1^2 - 4*C_0*C_2)}, id_(QQ^3), matrix{{1},{2},{3}}, SolutionCount => 4)
///

TEST ///
  -- critical points of the Euclidean distance to (2,0) on the unit circle: (1,0) and (-1,0), two points over QQ
  -- and modulo a prime; the Lagrange ideal needs no saturation (it is zero-dimensional)
  S = QQ[x,y];
  J = criticalIdeal(ideal(x^2 + y^2 - 1), id_(QQ^2), matrix{{2},{0}});
  assert(dim J == 0 and degree J == 2 and not J.cache#"saturated")
  T = ring J;
  assert(isSubset(ideal(T_0^2 - 1, T_1), J))
  report = value criticalReport({listForm(x^2 + y^2 - 1)}, id_(QQ^2), matrix{{2},{0}}, 101);
  assert(report#2 == 0 and report#3 == 2)
  assert(value criticalCounts({listForm(x^2 + y^2 - 1)}, id_(QQ^2), matrix{{2},{0}}, {101, 103}) == {{101, 0, 0, 2}, {103, 0, 0, 2}})
///

TEST ///
  -- Eckart-Young for 3x3 matrices of rank <= 2 (linear widths (3,2,3)) with the unit metric: C(3,2) = 3 critical
  -- points; the rank <= 1 locus is the singular locus, one prime
  N = neuralNetwork({3,2,3}, {0,1});
  I = neuromanifoldIdeal N;
  u = transpose matrix{{3,1,0, 1,2,0, 0,0,1}};
  J = criticalIdeal(I, id_(QQ^9), u);
  assert(dim J == 0 and degree J == 3)
  assert(#(value singularPrimes(9, {listForm I_0})) == 1)
  -- sigma = x^3 on (2,2,1): the binary cubics with a double root (the discriminant's smooth part) are not networks
  M = neuralNetwork({2,2,1}, {0,0,0,1}); C = M#CoordinateRing;
  disc = C_1^2*C_2^2 - 4*C_0*C_2^3 - 4*C_1^3*C_3 + 18*C_0*C_1*C_2*C_3 - 27*C_0^2*C_3^2;
  assert imageAvoidsSmoothPart(M, {1,null,1,null,null,null}, {listForm disc})
///

doc ///
  Key
    LinearSection
    linearSection
    (linearSection, List, List, List)
    linearSectionLength
    (linearSectionLength, List, List, List, List)
    (linearSectionLength, LinearSection, List)
    linearSectionEliminant
    (linearSectionEliminant, List, List, List, List)
    (linearSectionEliminant, LinearSection, List)
  Headline
    a linear section of the variety of given equations, modulo small primes
  Usage
    L = linearSection(exponents, polynomials, forms)
    linearSectionLength(L, primes)
    linearSectionEliminant(L, primes)
    linearSectionLength(exponents, polynomials, forms, primes)
    linearSectionEliminant(exponents, polynomials, forms, primes)
  Inputs
    exponents:List
      of exponent vectors (one entry per coordinate x_1..x_n)
    polynomials:List
      each a list of pairs {index into exponents, integer coefficient}: the generators of J
    forms:List
      of linear forms, each a list of n integers
    primes:List
      of primes below 2^15
  Outputs
    :String
      per prime, linearSectionLength: {p, dim, length} of ZZ/p[x]/(J + forms + x_n); linearSectionEliminant:
      {p, dim, dimension over ZZ/p} of A = ZZ/p[x]/(J + forms + (x_n - 1)) and the coefficients (ascending) of
      the minimal polynomial of x_(n-1) on A
    L:LinearSection
      the generators of J and the forms over ZZ, built once and reduced modulo each prime (the four-argument
      forms remember the section of the last data they were given, so that calls for further primes do not
      build it again)
  Description
    Text
      Groebner bases over ZZ/p (groebnerBasis with Strategy => "F4"): grevlex for the first ring, an
      elimination order for A, whose basis then contains a polynomial in x_(n-1) alone.  The Python package
      neurom2 factors it to find how the points of the section split into orbits of Frobenius, the input of
      its completeness certificate.
    Example
      -- the twisted cubic cone ac - b^2, ad - bc, bd - c^2 and the form a + 2b - 3c + 5d: 3 points
      e = {{1,0,1,0},{0,2,0,0},{1,0,0,1},{0,1,1,0},{0,1,0,1},{0,0,2,0}}; f = {{{0,1},{1,-1}}, {{2,1},{3,-1}}, {{4,1},{5,-1}}};
      linearSectionLength(e, f, {{1,2,-3,5}}, {32003})
      linearSectionEliminant(e, f, {{1,2,-3,5}}, {32003})
      L = linearSection(e, f, {{1,2,-3,5}})
      linearSectionEliminant(L, {32003, 32009})
///

TEST ///
  -- the twisted cubic cone (s^3, s^2 t, s t^2, t^3) cut by a + 2b - 3c + 5d = 0: 3 points, none with d = 0;
  -- at d = 1 the reported cubic vanishes at c
  e = {{1,0,1,0},{0,2,0,0},{1,0,0,1},{0,1,1,0},{0,1,0,1},{0,0,2,0}}; f = {{{0,1},{1,-1}}, {{2,1},{3,-1}}, {{4,1},{5,-1}}};
  assert(value linearSectionLength(e, f, {{1,2,-3,5}}, {32003, 32009}) == {{32003, 0, 3}, {32009, 0, 3}})
  report = value linearSectionEliminant(e, f, {{1,2,-3,5}}, {32003});
  assert(take(report#0, 3) == {32003, 0, 3} and #(report#0#3) == 4)
  R = (ZZ/32003)[a,b,c,d];
  J = ideal(a*c - b^2, a*d - b*c, b*d - c^2, a + 2*b - 3*c + 5*d, d - 1);
  assert(sum(4, k -> report#0#3#k * c^k) % J == 0)
  L = linearSection(e, f, {{1,2,-3,5}});
  assert(value linearSectionEliminant(L, {32009, 32003}) == reverse value linearSectionEliminant(e, f, {{1,2,-3,5}}, {32003, 32009}))
  assert(value linearSectionLength(L, {32003}) == {{32003, 0, 3}})
///

-- singular locus and subnetworks
doc ///
  Key
    subnetworkReport
    (subnetworkReport, NeuralNetwork, List)
    singularLocusReport
    (singularLocusReport, ZZ, List)
    criticalValuesReport
    (criticalValuesReport, NeuralNetwork)
    radicalMember
    (radicalMember, ZZ, List, List)
    nonPropernessReport
    (nonPropernessReport, NeuralNetwork)
  Headline
    singular loci, subnetworks, critical values and non-properness candidates
  Description
    Text
      Each returns a string the Python package neurom2 parses; a prime ideal is reported as
      {dim, degree, listForms of its minimal generators}.  subnetworkReport(N, zeros) is the ideal of the image
      closure of N with the weights at the 0-based indices zeros set to 0.  singularLocusReport(n, P) gives
      {codim, {dim, degree} of the Jacobian ideal, its minimal primes} for a prime ideal P in n variables.
      criticalValuesReport N gives the minimal primes of the closure of the critical values on the symmetry chart.
      radicalMember(n, I, f) is 1 when f vanishes on V(I).  nonPropernessReport N gives the number of chart
      weights integral over the coordinates and the minimal primes of the candidates outside which the chart
      map is proper over X (hence onto it).
    Example
      N = neuralNetwork({3,2,1}, {0,0,1});
      I = neuromanifoldIdeal N;
      singularLocusReport(6, apply(flatten entries mingens I, listForm))
      criticalValuesReport neuralNetwork({2,2,1}, {0,0,0,1})
///

TEST ///
  -- (3,2,1), x^2: X = {det = 0} of the symmetric 3x3 matrix; its singular locus is the rank <= 1 quadrics,
  -- the image of (3,1,1)
  N = neuralNetwork({3,2,1}, {0,0,1})
  I = neuromanifoldIdeal N
  report = value singularLocusReport(6, apply(flatten entries mingens I, listForm))
  assert(report#0 == 1 and #(report#2) == 1 and report#2#0#0 == 3)
  S = N#CoordinateRing
  narrower = value subnetworkReport(neuralNetwork({3,1,1}, {0,0,1}), {})
  assert(ideal apply(report#2#0#2, f -> fromListForm(S, f)) == ideal apply(narrower#2, f -> fromListForm(S, f)))
///

TEST ///
  -- (2,2,1), x^3 fills the binary cubics; its critical values are the cubes of linear forms (twisted cubic)
  N = neuralNetwork({2,2,1}, {0,0,0,1})
  crit = value criticalValuesReport N
  assert(#crit == 1 and crit#0#0 == 2 and crit#0#1 == 3)
  -- the sparsity pattern w_(1,1,2) = 0 of (2,1,1): the cubes of multiples of x, a line
  assert((value subnetworkReport(neuralNetwork({2,1,1}, {0,0,0,1}), {1}))#0 == 1)
  assert(value radicalMember(2, {{({2,0}, 1)}}, {({1,0}, 1)}) == 1 and value radicalMember(2, {{({2,0}, 1)}}, {({0,1}, 1)}) == 0)
  -- the chart map of (2,2,1) x^3 is proper off the discriminant of binary cubics and the quadric b^2 = 3ac
  -- (the chart map is not proper over the quadric either, though its generic points are reached)
  report = value nonPropernessReport N
  S = N#CoordinateRing
  (a, b, c, d) = toSequence gens S
  candidates = set apply(report#1, P -> ideal apply(P#2, f -> fromListForm(S, f)))
  assert(candidates === set {ideal(b^2 - 3*a*c), ideal(b^2*c^2 - 4*a*c^3 - 4*b^3*d - 27*a^2*d^2 + 18*a*b*c*d)})
///

doc ///
  Key
    fiberCountModular
    (fiberCountModular, NeuralNetwork, List, List, ZZ)
  Headline
    count the points of a generic fiber of the parametrization in a chart (identifiability)
  Usage
    fiberCountModular(N, theta0, chart, p)
    fiberCountMonodromy(N, chart)
  Inputs
    N:NeuralNetwork
    theta0:List
      one integer per weight, a point of the chart
    chart:List
      one rational number or null (free) per weight, as for fiberIdeal
    p:ZZ
      a prime
  Outputs
    :String
      fiberCountModular: {dim, degree, distinct} over ZZ/p; fiberCountMonodromy: {solutions at a generic point of
      the ambient space, regular endpoints, points of the fiber over the image of random complex weights}
  Description
    Text
      The fiber is saturated by the ideal of the outgoing weights of each hidden neuron (dead neurons) when it is not
      zero-dimensional.  distinct is the number of distinct roots of the minimal polynomial of a random linear form
      on the quotient ring (from Krylov vectors of a random vector): the number of points when the form separates
      them.  Monodromy is floating point and uncertified.
    Example
      -- Sylvester: a binary quintic is a sum of three fifth powers in one way, 3! orderings in the chart
      fiberCountModular(neuralNetwork({2,3,1}, {0,0,0,0,0,1}), {1, 2, 1, -3, 1, 5, 2, -1, 3}, {1, null, 1, null, 1, null, null, null, null}, 32003)
  SeeAlso
    fiberCountMonodromy
///

doc ///
  Key
    fiberCountMonodromy
    (fiberCountMonodromy, NeuralNetwork, List)
    Repeats
    [fiberCountMonodromy, Repeats]
    [fiberCountMonodromy, SolutionCount]
    ModuloFirstLayer
    [fiberCountMonodromy, ModuloFirstLayer]
  Headline
    count the points of a generic fiber in a chart by monodromy
  Usage
    fiberCountMonodromy(N, chart)
  Inputs
    N:NeuralNetwork
    chart:List
      one rational number or null (free) per weight, as for fiberIdeal
    Repeats=>ZZ
      monodromy stops after this many loops without a new solution
    SolutionCount=>ZZ
      or when this many solutions are found
    ModuloFirstLayer=>Boolean
      count solutions up to permutations of the first hidden layer's neurons (each class once)
  Outputs
    :String
      {solutions at a generic point of the ambient space, regular endpoints, points of the fiber over the image of
      random complex weights}
  Description
    Text
      Floating point and uncertified: a lower bound, complete with high probability under the stopping rule.
  SeeAlso
    fiberCountModular
///

TEST ///
  -- identifiability (fibers): Sylvester, binary quintics are a unique sum of three fifth powers: the chart
  -- w_(1,i,1) = 1 holds the 3! orderings of the one decomposition, over ZZ/p and numerically
  N = neuralNetwork({2,3,1}, {0,0,0,0,0,1});
  chart = {1, null, 1, null, 1, null, null, null, null};
  assert(value fiberCountModular(N, {1, 2, 1, -3, 1, 5, 2, -1, 3}, chart, 32003) == {0, 6, 6})
  setRandomSeed 1
  assert(last value fiberCountMonodromy(N, chart) == 6)
///

doc ///
  Key
    sliceCriticalCount
    (sliceCriticalCount, NeuralNetwork, ZZ, Matrix, Matrix)
    [sliceCriticalCount, Repeats]
  Headline
    count the critical points of a quadratic loss on a neurovariety in a slice of weight space (monodromy)
  Usage
    sliceCriticalCount(N, k, Q, u)
  Inputs
    N:NeuralNetwork
    k:ZZ
      the dimension of the neurovariety X: the number of free weights of the slice
    Q:Matrix
      the metric, over QQ (invertible)
    u:Matrix
      the center, a column over QQ
    Repeats=>ZZ
      monodromy stops after this many new loops in a row without a new solution
  Outputs
    :String
      {the slice's fixed weights as {index, value} pairs, rank of its Jacobian modulo 32003, solutions at a generic
      center, paths, failed paths, regular endpoints at u, their distinct images in X, sorted numbers of endpoints over
      each image}
  Description
    Text
      The slice: symmetryChart N, then further weights fixed to random integers while the Jacobian keeps rank k
      modulo 32003 (then the slice maps dominantly onto X).  The gradient equations of (c - a)^T Q (c - a) at the
      network's coordinates, in the free weights, with the center a as parameters, solved by monodromy (a graph of
      parameter nodes, all paths of an arc tracked in one batch) and tracked to a = u.  Floating point and
      uncertified: the number of images is the number of critical points on X with high probability, for generic
      data, when the solutions are the images times the largest number of endpoints over one image (the fiber).
    Example
      setRandomSeed 1; N = neuralNetwork({2,2,1}, {0,0,0,0,1});
      sliceCriticalCount(N, 4, id_(QQ^5), matrix{{1},{2},{3},{4},{5}})
  SeeAlso
    criticalCounts
    numericalCriticalCount
///

TEST ///
  -- binary quartics of rank <= 2 (the catalecticant hypersurface): the critical points of a loss counted in the
  -- slice w_(1,i,1) = 1 (fiber 2: the swap) equal the degree of the Lagrange ideal modulo a prime
  N = neuralNetwork({2,2,1}, {0,0,0,0,1});
  Q = matrix{{3,1,0,0,0},{1,4,1,0,0},{0,1,5,1,0},{0,0,1,6,1},{0,0,0,1,7}};
  u = matrix{{1},{-2},{3},{5},{-1}};
  P = neuromanifoldIdeal N;
  lagrange = value criticalCounts(apply(flatten entries gens P, listForm), Q, u, {32003});
  setRandomSeed 1;
  counted = value sliceCriticalCount(N, 4, Q, u, Repeats => 3);
  assert(counted#1 == 4 and counted#6 == lagrange#0#3 and counted#2 == 2 * counted#6)
///

end--

doc ///
  Key
    subspaceCounts
    (subspaceCounts, List, Matrix, Matrix, List)
  Headline
    critical points of a quadratic loss on the ternary forms in two linear forms, modulo primes
  Usage
    subspaceCounts(exponents, Q, u, primes)
  Inputs
    exponents:List
      the exponent vectors of the monomial coordinates, all of degree d in three variables
    Q:Matrix
      the Gram matrix of the loss (c - u)^T Q (c - u), invertible modulo the primes
    u:Matrix
      the center, a column
    primes:List
  Outputs
    :String
      the list of {p, dim, degree} of the ideal of critical points of r(v) modulo each prime p
  Description
    Text
      A ternary form lies in the variety of forms in two linear forms exactly when a derivation D_v kills it.
      r(v) is the squared distance from u to the kernel of D_v, v = (v_1, v_2, 1); its critical points, off the
      zeros of D = det(M Q^(-1) M^T), are counted.  For d >= 3 and generic data they are the critical points
      of the loss on the smooth part of the variety (the Python module neurom2.training.subspace proves it).
    Example
      exps = {{3,0,0},{2,1,0},{2,0,1},{1,2,0},{1,1,1},{1,0,2},{0,3,0},{0,2,1},{0,1,2},{0,0,3}};
      subspaceCounts(exps, id_(QQ^10), transpose matrix{{1,2,0,-1,3,1,0,2,-2,1}}, {32003})
///

TEST ///
  -- cubics in two linear forms are the sums of two cubes (a hypersurface of degree 4: the Aronhold invariant);
  -- with the unit metric both counts of critical points, by r(v) and by the Lagrange ideal, agree.
  exps = {{3,0,0},{2,1,0},{2,0,1},{1,2,0},{1,1,1},{1,0,2},{0,3,0},{0,2,1},{0,1,2},{0,0,3}};
  Q = id_(QQ^10); u = transpose matrix{{1,2,0,-1,3,1,0,2,-2,1}};
  subspace = value subspaceCounts(exps, Q, u, {32003});
  N = neuralNetwork({3,2,1}, {0,0,0,1});
  lagrange = value criticalCounts(apply(flatten entries gens neuromanifoldIdeal N, g -> listForm g), Q, u, {32003});
  assert(subspace#0#1 == 0 and lagrange#0#2 == 0 and subspace#0#2 == lagrange#0#3)
///

