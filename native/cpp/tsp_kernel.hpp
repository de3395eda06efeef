// tsp_kernel.hpp: the classes of the C++ kernel (github.com/ffi4go/tsp).
//
// Only tsp.cpp includes this header, after it has switched floating-point
// contraction off; it is not part of the C ABI (see native/tsp.h and
// tsp_cpp.h for that). Every class takes the steps of the pure-Go kernel
// (kernel.go, dfs.go, nearest.go, localsearch.go, exact.go in the module
// root) in the same order: the same scans, tie rules, floating-point
// operations in the same order, constants, node counting and cancel polling
// points, so that tour, length bits, lower bound bits and node count are the
// same. The statements differ where Go's are shaped for Go's compiler.
//
// Integer arithmetic is int32_t where Go's is int32 (an index i*n+j stays
// below 10000*10000 < 2^31), and the buffers are std::vectors that a Solver
// keeps between solves: each solve resizes them and sets them to what Go's
// make() would give (zeros), so a reused Solver computes exactly what a
// fresh one does.
#ifndef TSP_KERNEL_HPP
#define TSP_KERNEL_HPP

#include <cstdint>
#include <vector>

// The classes are internal to the kernel: hidden, so that a shared library
// built from tsp.cpp exports the C ABI only and binds its own calls to its
// own code.
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace tsp {

// MaxCities is Algorithm.MaxCities: 0 for an unknown algorithm.
int32_t MaxCities(int32_t algorithm) noexcept;

// Great-circle distance in the unit of r; haversine in haversine.go.
double Haversine(double lat1, double lon1, double lat2, double lon2, double r) noexcept;

// Context is kernelState: the matrix, the cancel flag and the node counter
// that every algorithm shares during one solve.
class Context {
 public:
  Context(const double* d, int32_t n, const int32_t* cancel, bool directed = false) noexcept
      : d_(d), n_(n), cancel_(cancel), directed_(directed) {}

  const double* d() const noexcept { return d_; }
  int32_t n() const noexcept { return n_; }
  bool directed() const noexcept { return directed_; }  // TSP_DIRECTED
  uint64_t& nodes() noexcept { return nodes_; }
  uint64_t nodes() const noexcept { return nodes_; }

  bool StopRequested() const noexcept;
  // Progress (tsp_solve_progress, ABI 6): Improved reports a shorter best
  // tour, Bounded a bound above the last one reported (kernel.go).
  void SetProgress(tsp_progress_fn progress, uint64_t handle) noexcept {
    progress_ = progress;
    handle_ = handle;
  }
  bool HasProgress() const noexcept { return progress_ != nullptr; }
  // TakeProgress mutes the progress function (returning it), GiveProgress
  // restores it: Exact's kicks do not report their own tours.
  tsp_progress_fn TakeProgress() noexcept {
    const tsp_progress_fn p = progress_;
    progress_ = nullptr;
    return p;
  }
  void GiveProgress(tsp_progress_fn p) noexcept { progress_ = p; }
  void Improved(double l, uint64_t nodes, const int32_t* best) noexcept {
    if (progress_ != nullptr) {
      Report(TSP_PROGRESS_TOUR, l, nodes, best);
    }
  }
  void Bounded(double b, double ub, const int32_t* best) noexcept {
    if (progress_ == nullptr || !(b > bound_)) {
      return;
    }
    bound_ = b;
    Report(TSP_PROGRESS_BOUND, ub, nodes_, best);
  }
  double CycleLength(const int32_t* order) const noexcept;
  double Finish(int32_t start, int32_t* order) const noexcept;
  bool NearestInto(int32_t start, int32_t* t, std::vector<uint8_t>& used) const;  // false: stopped

 private:
  const double* d_;
  int32_t n_;
  const int32_t* cancel_;
  uint64_t nodes_ = 0;
  bool directed_ = false;
  void Report(int32_t event, double length, uint64_t nodes, const int32_t* best) noexcept;
  tsp_progress_fn progress_ = nullptr;
  uint64_t handle_ = 0;
  bool stop_ = false;
  double bound_ = 0;
};

// Exhaustive is exhaustiveSearch (dfs.go).
class Exhaustive {
 public:
  int32_t Run(Context& k, int32_t start, int32_t* order);
  void Unbind() noexcept { ks_ = nullptr; }

 private:
  void Rec(int32_t k, double l);
  void Improve(double t, int32_t k, int32_t a, int32_t b, int32_t c);
  void Improve4(double t, int32_t k, int32_t f, int32_t a, int32_t b, int32_t c);
  void Improve3(double t, int32_t k, int32_t f, int32_t a, int32_t b, int32_t c);
  void Three(int32_t k, int32_t f, int32_t a, int32_t b, int32_t c, double la, double lb, double lc, double dab,
             double dac, double dbc, double das, double dbs, double dcs);

  Context* ks_ = nullptr;
  std::vector<int32_t> p_;
  std::vector<int32_t> best_p_;
  double best_ = 0;
  uint32_t tick_ = 0;
  bool stopped_ = false;
};

// LocalSearch is localSearch (nearest.go): 2-opt and Or-opt with neighbour
// lists and a queue of cities whose don't-look bit is off.
class LocalSearch {
 public:
  void Init(Context& k);  // newLocalSearch: the neighbour lists are built on first use
  bool TwoOptFrom(int32_t start);
  int32_t TwoOpt(Context& k, int32_t start, int32_t* order);
  int32_t Iterated(Context& k, int32_t start, uint64_t seed, int64_t budget, int32_t* order);
  const int32_t* Tour() const noexcept { return t_.data(); }
  void Unbind() noexcept { k_ = nullptr; }

 private:
  int32_t Succ(int32_t c) const noexcept;
  int32_t Pred(int32_t c) const noexcept;
  void Push(int32_t c) noexcept;
  int32_t Pop() noexcept;
  void Reverse(int32_t a, int32_t b);
  bool TwoOptMove(int32_t a);
  bool OrOptMove(int32_t a);
  bool OrThreeMove(int32_t a);
  int32_t Step(int32_t c, bool fwd) const noexcept;
  int32_t Offset(int32_t s, int32_t x, bool fwd) const noexcept;
  void Move2(int32_t a, int32_t b, int32_t c, int32_t e);
  void ThreeDone(double delta, int32_t t1, int32_t t2, int32_t t3, int32_t t4, int32_t t5, int32_t t6) noexcept;
  bool ThreeOptMove(int32_t t1);
  bool Improve(int32_t a);
  void Exchange(int32_t p, int32_t l1, int32_t l2);
  void OrOptApply(double delta, int32_t s1, int32_t s2, int32_t sl, int32_t p, int32_t x, int32_t c, int32_t e,
                  int32_t s);
  bool InSegment(int32_t c, int32_t s1, int32_t sl) const noexcept;
  void MoveSegment(int32_t s1, int32_t s2, int32_t sl, int32_t p, int32_t x, int32_t c, int32_t e,
                   int32_t s);
  void Set(int32_t i, int32_t c);
  void Revert() noexcept;
  bool Neighbours() noexcept;
  bool Run();
  int32_t FullTwoOpt();
  double DoubleBridge(int32_t p, int32_t l1, int32_t l2);
  bool Drain(uint32_t* polls);
  int32_t Kicks(uint64_t seed, int64_t budget, int32_t* best);

 public:
  // KicksFrom is the iterated search of HeldKarp's kick: TwoOpt from start,
  // then budget kicks; the best tour in best. It returns TSP_OK or
  // TSP_STOPPED.
  int32_t KicksFrom(Context& k, int32_t start, uint64_t seed, int64_t budget, int32_t* best);

 private:

  Context* k_ = nullptr;
  int32_t kn_ = 0;
  std::vector<int32_t> nb_;
  // TSP_DIRECTED: nb_in_[i*kn+r] is the r-th nearest city into i; no move
  // reverses a stretch (Or-opt keeps the segment's direction)
  std::vector<int32_t> nb_in_;
  bool directed_ = false;
  std::vector<int32_t> t_;
  std::vector<int32_t> pos_;
  std::vector<int32_t> queue_;
  std::vector<uint8_t> in_q_;
  std::vector<int32_t> tmp_;
  std::vector<uint8_t> used_;
  double eps_ = 0;
  int32_t head_ = 0;
  int32_t count_ = 0;
  uint64_t moves_ = 0;
  double gain_ = 0;     // the sum of the changes of length of the moves applied
  // journal_ lists (position, old city) of every write to t_ while
  // journal_on_, so that Iterated can undo a kick that does not pay.
  std::vector<int32_t> journal_;
  bool journal_on_ = false;
  bool ready_ = false;  // the neighbour lists are built
  // three_ (Iterated, undirected, n >= kIteratedMinN): the moves are
  // ThreeOptMove's alone, and Run makes no full 2-opt passes
  bool three_ = false;
};

// HkSet is hkSet (exact.go): Kruskal's state of one component: the label
// of its set, and, for a label, the first component of its set and the
// set's size; next links the components of a set.
struct HkSet {
  int32_t lab;
  int32_t head;
  int32_t next;
  int32_t size;
};

// HeldKarp is heldKarp (exact.go): depth-first branch and bound with the
// Held–Karp 1-tree bound.
class HeldKarp {
 public:
  int32_t Exact(Context& k, LocalSearch& ls, int32_t start, int32_t* order, double* lower_bound);
  void Unbind() noexcept {
    k_ = nullptr;
    d_ = nullptr;
  }

 private:
  struct Frame {
    int32_t mark;
    double bound;
    int32_t v;
    int32_t a;
    int32_t b;
    int32_t next;
    int32_t nch;
    // e_from, e_to: the node's edges that were not excluded when it was
    // pushed, f_ed_[e_from:e_to] (none when its 1-tree was not sparse)
    int32_t e_from;
    int32_t e_to;
    bool e_ok;
  };
  // Pair is hkPair (exact.go): an edge (i, j), 0 < i < j.
  struct Pair {
    int32_t i;
    int32_t j;
  };
  struct AscentResult {
    double bound;
    int32_t result;
  };
  struct WalkResult {
    int32_t end;
    int32_t count;
    bool cycle;
  };
  // Edge and Key are hkEdge and hkKey (exact.go): an edge of the sparse
  // 1-tree (in b_edge_ with its place in k_ed_), and a bundle as Contract
  // sorts it (rep: its lightest edge's place in k_ed_).
  struct Edge {
    double d;
    int32_t i;
    int32_t j;
    bool in;
    int32_t id;
  };
  struct Key {
    double w;
    int32_t rep;
    int32_t b;
    uint16_t ci;  // n <= TSP_MAX_EXACT
    uint16_t cj;
  };

  void Init(Context& k);  // newHeldKarp
  void SetUB(double v) noexcept;
  int32_t Solve(LocalSearch& ls, int32_t start, double* lower_bound);
  int32_t Search(double* lower_bound);
  bool ApplyChild(const Frame& f, int32_t c);
  void PushFrame(double bound);
  int32_t BranchCity() noexcept;
  bool TreeEdge(int32_t v, int32_t u) const noexcept;
  bool OneTree(bool root) noexcept;
  void BuildAdj() noexcept;
  void MergeEdges(std::vector<Pair>* dst);
  void AddCity(int32_t cnt, int32_t v, double* sum) noexcept;
  void Contract() noexcept;
  void Weigh() noexcept;
  bool Kruskal(double* sum_out) noexcept;
  void ClearPrim() noexcept;
  void RootTree() noexcept;
  void Cover(int32_t i, int32_t j) noexcept;
  void ComputeCover() noexcept;
  double CheapestAtZero() const noexcept;
  double Rise(int32_t v, int32_t u) const noexcept;
  bool ForceEdges(bool* changed);
  bool Tighten(double* bound);
  int32_t Kick(LocalSearch& ls, int32_t start);
  AscentResult Ascent(int32_t iters, double lambda, int32_t period);
  void TourFromTree() noexcept;
  void OpenBound() noexcept;
  bool Eliminate();
  bool EliminateSparse();
  void Set(int32_t i, int32_t j, int8_t s);
  void UndoTo(int32_t mark) noexcept;
  bool Exclude(int32_t i, int32_t j);
  bool Include(int32_t i, int32_t j);
  WalkResult Walk(int32_t s, int32_t from) const noexcept;

  Context* k_ = nullptr;
  int32_t n_ = 0;
  const double* d_ = nullptr;
  std::vector<int8_t> state_;
  std::vector<int32_t> inc_;
  std::vector<int32_t> in_deg_;
  std::vector<int32_t> avail_;
  std::vector<int32_t> undo_;

  std::vector<double> pi_;
  std::vector<double> best_pi_;
  std::vector<double> pi_stack_;
  std::vector<Frame> frames_;

  std::vector<double> key_;
  std::vector<uint8_t> forced_;
  std::vector<int32_t> parent_;
  std::vector<uint8_t> done_;
  std::vector<int32_t> prim_;
  std::vector<int32_t> deg_;
  int32_t s1_ = 0;
  int32_t s2_ = 0;
  double w1_ = 0;
  double w2_ = 0;
  double tree_l_ = 0;
  std::vector<double> mx_;
  std::vector<int32_t> adj_;
  std::vector<int32_t> cyc_;
  int32_t period_ = 0;
  // the sparse 1-tree (Kruskal): the edges of cities 1..n-1 that are not
  // excluded
  std::vector<Edge> k_ed_;  // free edges (0 < i < j), in index order
  std::vector<Edge> k_f_;   // included edges (0 < i < j)
  // Contract (contract, exact.go): components and bundles
  std::vector<Edge> k_ft_;  // the included edges Kruskal takes
  std::vector<int32_t> f_deg_;
  std::vector<int32_t> comp_;
  int32_t n_comp_ = 0;
  std::vector<int32_t> b_start_;  // bundle b's edges: b_edge_[b_start_[b], b_start_[b+1])
  std::vector<Edge> b_edge_;
  int32_t n_single_ = 0;  // bundles 0..n_single_-1 have one edge
  std::size_t n_bundles_ = 0;
  std::vector<double> b_w_;    // each bundle's weight: its lightest edge's
  std::vector<int32_t> b_rep_;  // and that edge
  std::vector<int32_t> pair_b_;
  std::vector<int32_t> b_of_;
  std::vector<int32_t> b_ren_;
  std::vector<int32_t> b_tmp_;
  std::vector<Pair> b_comp_;
  std::vector<Key> b_keys_;
  std::vector<double> kw_;    // Kruskal's keys, sorted: the weight,
  std::vector<uint64_t> km_;  // and the bundle (hkKey.meta)
  std::vector<int32_t> mv_;
  std::vector<HkSet> sets_;
  std::vector<int32_t> t_ids_;  // the free edges Kruskal took, in order
  std::size_t t_len_ = 0;
  std::vector<Pair> f_ed_;  // the frames' edge lists (Frame::e_from), stacked
  std::vector<Pair> scr_;   // scratch of Tighten: the edges of k_f_ and k_ed_
  const Pair* src_ = nullptr;  // the edges BuildAdj reads when src_ok_, else all n² states
  std::size_t src_len_ = 0;
  bool src_ok_ = false;
  std::vector<int32_t> uf_;
  std::vector<Edge> tree_;  // the tree's edges, in the order taken
  std::vector<int32_t> t_start_;
  std::vector<int32_t> t_nb_;
  std::vector<int32_t> t_fill_;
  std::vector<int32_t> depth_;
  std::vector<double> cover_;
  double wn_ = 0;  // the cheapest free edge of city 0 besides s1_, s2_ (ComputeCover)
  bool sparse_ = false;
  bool paired_ = false;     // more than half the cities had an included edge after the root (BranchCity)
  std::vector<double> rs_;  // scratch of BranchCity: a city's rises, sorted
  double ub_ = 0;
  double lim_ = 0;
  bool integer_ = false;
  std::vector<int32_t> best_;
};

// Solver is GoKernel with buffers that live as long as the Solver: one
// Solver runs one solve at a time; different Solvers are independent.
class Solver {
 public:
  int32_t Solve(const double* dist, int32_t n, int32_t start, int32_t algorithm, uint64_t seed, int64_t budget,
                const int32_t* cancel, int32_t* order, double* length, double* lower_bound, uint64_t* nodes,
                tsp_progress_fn progress = nullptr, uint64_t handle = 0);

 private:
  Exhaustive exhaustive_;
  LocalSearch local_;
  HeldKarp held_karp_;
  std::vector<uint8_t> used_;
};

}  // namespace tsp

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // TSP_KERNEL_HPP
