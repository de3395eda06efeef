// tsp.cpp: the C++ kernel of github.com/ffi4go/tsp behind the C ABI of
// native/tsp.h (and the handle API of tsp_cpp.h): backend "cgo-cpp" (compiled
// by cgo through cppbackend/tsp_cpp.cpp), and the library libtsp_cpp.so of
// backend "purego-cpp".
//
// Each algorithm takes the steps of the pure-Go kernel in the same order
// (see tsp_kernel.hpp), so that tour, length bits, lower bound bits and
// node count match it exactly. That needs every floating-point operation
// rounded on its own, as Go does where its kernel writes float64(a*b): no
// contraction of a*b+c into a fused multiply-add. g++ contracts by default
// even with -std=c++17 (only ISO C mode turns it off, not ISO C++) whenever
// the target has FMA (-march=haswell or later, -mfma), and cgo does not
// allow -ffp-contract=off in #cgo CXXFLAGS, so this file switches it off
// itself, before any header: GCC by its optimize pragma, clang by the
// standard pragma.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>
#include <vector>

#include "tsp_cpp.h"
#include "tsp_selftest.h"
#include "tsp_kernel.hpp"

namespace tsp {

namespace {

// Edge states of the branch and bound (edgeFree, edgeIn, edgeOut).
constexpr int8_t kEdgeFree = 0;
constexpr int8_t kEdgeIn = 1;
constexpr int8_t kEdgeOut = -1;

// Ascent results and constants of exact.go.
constexpr int32_t kAscentOpen = 0;     // a bound below the limit: branch
constexpr int32_t kAscentClosed = 1;   // pruned, infeasible, or solved by a tour
constexpr int32_t kAscentStopped = 2;  // the cancel flag
constexpr double kRootLambda = 2.0;
constexpr double kChildLambda = 2.0;
constexpr double kMinLambda = 1e-4;
constexpr double kMaxIntegralUB = 1e8;
constexpr double kTolerance = 1e-9;         // relative to the upper bound
constexpr double kMinTolerance = 0x1p-1074;  // the smallest positive double
constexpr int32_t kRootIterations = 900;  // plus kRootPerCity per city
constexpr int32_t kRootPerCity = 12;
constexpr int32_t kChildIters = 90;
constexpr int32_t kTightenRounds = 3;
constexpr int32_t kKicksPerCity = 20;  // the kicks of the iterated search after the root
constexpr uint64_t kKickSeed = 1;
constexpr int32_t kChildPeriod = 6;   // λ halves after this many iterations without a better bound

// neighbourK of nearest.go: the length of each city's neighbour list.
constexpr int32_t kNeighbourK = 10;

// Results of LocalSearch::FullTwoOpt (fullNone, fullApplied, fullStopped).
constexpr int32_t kFullNone = 0;     // no move applied
constexpr int32_t kFullApplied = 1;  // some moves applied
constexpr int32_t kFullStopped = 2;  // the cancel flag

// pi/180 rounded to the nearest double: Go's math.Pi / 180, a constant
// expression evaluated exactly and rounded once. (It is also the double
// M_PI / 180; the literal states it without relying on M_PI.)
constexpr double kRad = 0x1.1df46a2529d39p-6;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMaxFloat64 = std::numeric_limits<double>::max();

// checkDistances: finite, non-negative, zero diagonal, symmetric, and no
// distance above 2^TSP_MAX_TOUR_LENGTH_LOG2 / n, so that no tour can
// overflow (MaxTourLength in tsp.go). Each pair i <= j once, tile by tile,
// so that tile (I, J) and tile (J, I) both stay in cache; the cancel flag is
// polled before each band of kValidTile rows.
constexpr int32_t kValidTile = 32;

enum class Check { kValid, kInvalid, kStopped };

// MaxDistance: maxDistance in kernel.go.
double MaxDistance(int32_t n) noexcept {
  return std::ldexp(1.0, TSP_MAX_TOUR_LENGTH_LOG2) / static_cast<double>(n);
}

Check CheckDistances(const Context& k, const double* d, int32_t n) noexcept {
  const double lim = MaxDistance(n);
  for (int32_t bi = 0; bi < n; bi += kValidTile) {
    if (k.StopRequested()) {
      return Check::kStopped;
    }
    const int32_t ie = std::min(bi + kValidTile, n);
    for (int32_t bj = bi; bj < n; bj += kValidTile) {
      const int32_t je = std::min(bj + kValidTile, n);
      for (int32_t i = bi; i < ie; i++) {
        for (int32_t j = bj == bi ? i : bj; j < je; j++) {
          const double v = d[i * n + j];
          const double w = d[j * n + i];
          if (!(v >= 0) || v > lim || (i == j && v != 0)) {
            return Check::kInvalid;
          }
          if (k.directed()) {
            if (!(w >= 0) || w > lim) {
              return Check::kInvalid;
            }
          } else if (v != w) {
            return Check::kInvalid;
          }
        }
      }
    }
  }
  return Check::kValid;
}

// ScopeExit runs a function when it goes out of scope (RAII clean-up).
template <typename F>
class ScopeExit {
 public:
  explicit ScopeExit(F f) noexcept : f_(std::move(f)) {}
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;
  ~ScopeExit() { f_(); }

 private:
  F f_;
};

// Sets v to n copies of T{}, what Go's make([]T, n) gives, keeping the
// capacity v already has.
template <typename T>
void Zero(std::vector<T>& v, std::size_t n) {
  v.assign(n, T{});
}

}  // namespace

int32_t MaxCities(int32_t algorithm) noexcept {
  switch (algorithm) {
    case TSP_EXHAUSTIVE:
      return TSP_MAX_EXHAUSTIVE;
    case TSP_EXACT:
      return TSP_MAX_EXACT;
    case TSP_NEAREST:
    case TSP_TWOOPT:
    case TSP_ITERATED:
      return TSP_MAX_HEURISTIC;
    default:
      return 0;
  }
}

double Haversine(double lat1, double lon1, double lat2, double lon2, double r) noexcept {
  const double p1 = lat1 * kRad;
  const double p2 = lat2 * kRad;
  const double dp = (lat2 - lat1) * kRad;
  const double dl = (lon2 - lon1) * kRad;
  const double s1 = std::sin(dp / 2);
  const double s2 = std::sin(dl / 2);
  double h = s1 * s1 + (std::cos(p1) * std::cos(p2)) * (s2 * s2);
  if (h > 1) {
    h = 1;
  }
  return 2 * r * std::asin(std::sqrt(h));
}

// ---------------------------------------------------------------------------
// Context (kernel.go)

bool Context::StopRequested() const noexcept {
  if (stop_) {
    return true;
  }
#ifdef __wasm__
  return cancel_ != nullptr && tsp_wasm_cancelled() != 0;  // see tsp.h
#else
  return cancel_ != nullptr && __atomic_load_n(cancel_, __ATOMIC_RELAXED) != 0;
#endif
}

void Context::Report(int32_t event, double length, uint64_t nodes, const int32_t* best) noexcept {
  const double values[2] = {length, bound_};
#ifdef __wasm__
  if (tsp_wasm_progress(handle_, event, values, nodes, best, n_) != 0) {  // see tsp.h
#else
  if (progress_(handle_, event, values, nodes, best, n_) != 0) {
#endif
    stop_ = true;
  }
}

double Context::CycleLength(const int32_t* order) const noexcept {
  const int32_t n = n_;
  double s = 0.0;
  for (int32_t i = 1; i < n; i++) {
    s += d_[order[i - 1] * n + order[i]];
  }
  return s + d_[order[n - 1] * n + order[0]];
}

double Context::Finish(int32_t start, int32_t* order) const noexcept {
  const int32_t n = n_;
  int32_t p = 0;
  while (order[p] != start) {
    p++;
  }
  if (p != 0) {  // rotate left by p: three reversals
    std::reverse(order, order + p);
    std::reverse(order + p, order + n);
    std::reverse(order, order + n);
  }
  if (!directed_ && n >= 3 && order[1] > order[n - 1]) {
    std::reverse(order + 1, order + n);
  }
  return CycleLength(order);
}

// NearestInto writes the nearest-neighbour tour from start into t. It polls
// the cancel flag every 64 cities; when it is set, it appends the cities not
// yet visited in index order, so that t is still a tour, and returns false.
bool Context::NearestInto(int32_t start, int32_t* t, std::vector<uint8_t>& /*used*/) const {
  const int32_t n = n_;
  // t[0..i-1] the tour so far, t[i..n-1] the cities not yet visited in
  // index order: each step scans only those (no flag to test a city) and
  // takes the first of the least distance, as the scan of all n did.
  t[0] = start;
  for (int32_t j = 0, i = 1; j < n; j++) {
    if (j != start) {
      t[i++] = j;
    }
  }
  int32_t cur = start;
  for (int32_t i = 1; i < n; i++) {
    if ((i & 63) == 0 && StopRequested()) {
      return false;  // the rest in index order
    }
    const double* row = d_ + cur * n;
    int32_t best = i;
    double bd = row[t[i]];
    for (int32_t r = i + 1; r < n; r++) {
      const double dr = row[t[r]];
      if (dr < bd) {
        best = r;
        bd = dr;
      }
    }
    cur = t[best];
    for (int32_t r = best; r > i; r--) {
      t[r] = t[r - 1];
    }
    t[i] = cur;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Exhaustive (dfs.go)

int32_t Exhaustive::Run(Context& k, int32_t start, int32_t* order) {
  const int32_t n = k.n();
  ks_ = &k;
  Zero(p_, static_cast<std::size_t>(n));
  Zero(best_p_, static_cast<std::size_t>(n));
  tick_ = 0;
  stopped_ = false;
  p_[0] = start;
  int32_t j = 1;
  for (int32_t c = 0; c < n; c++) {
    if (c != start) {
      p_[j] = c;
      j++;
    }
  }
  std::copy(p_.begin(), p_.end(), best_p_.begin());
  best_ = k.CycleLength(p_.data());  // the first leaf; it keeps its place since ties keep the first
  k.Improved(best_, k.nodes(), best_p_.data());
  Rec(1, 0);
  std::copy(best_p_.begin(), best_p_.end(), order);
  return stopped_ ? TSP_STOPPED : TSP_OK;
}

void Exhaustive::Improve(double t, int32_t k, int32_t a, int32_t b, int32_t c) {
  best_ = t;
  std::copy(p_.begin(), p_.begin() + k, best_p_.begin());
  best_p_[k] = a;
  if (k + 1 < ks_->n()) {
    best_p_[k + 1] = b;
  }
  if (k + 2 < ks_->n()) {
    best_p_[k + 2] = c;
  }
  ks_->Improved(t, ks_->nodes(), best_p_.data());
}

// Improve4 is an improvement found by case 4, whose first city f stands at
// k and a, b, c after it.
void Exhaustive::Improve4(double t, int32_t k, int32_t f, int32_t a, int32_t b, int32_t c) {
  best_ = t;
  std::copy(p_.begin(), p_.begin() + k, best_p_.begin());
  best_p_[k] = f;
  best_p_[k + 1] = a;
  best_p_[k + 2] = b;
  best_p_[k + 3] = c;
  ks_->Improved(t, ks_->nodes(), best_p_.data());
}

// Improve3 records an improvement found by Three.
void Exhaustive::Improve3(double t, int32_t k, int32_t f, int32_t a, int32_t b, int32_t c) {
  if (f < 0) {
    Improve(t, k, a, b, c);
  } else {
    Improve4(t, k - 1, f, a, b, c);
  }
}

// Three tries the last three cities a, b, c after a prefix ending at
// position k - 1 (case 3, and each child of case 4) in the order of the
// swap-based recursion (abc acb bac bca cba cab), given the prefix's length
// to each (la, lb, lc) and the distances among them and back to the start.
// f >= 0 is the city at position k - 1 when p does not hold it (case 4).
inline void Exhaustive::Three(int32_t k, int32_t f, int32_t a, int32_t b, int32_t c, double la, double lb, double lc,
                              double dab, double dac, double dbc, double das, double dbs, double dcs) {
  double best = best_;
  double t = ((la + dab) + dbc) + dcs;
  if (t < best) {
    best = t;
    Improve3(t, k, f, a, b, c);
  }
  t = ((la + dac) + dbc) + dbs;
  if (t < best) {
    best = t;
    Improve3(t, k, f, a, c, b);
  }
  t = ((lb + dab) + dac) + dcs;
  if (t < best) {
    best = t;
    Improve3(t, k, f, b, a, c);
  }
  t = ((lb + dbc) + dac) + das;
  if (t < best) {
    best = t;
    Improve3(t, k, f, b, c, a);
  }
  t = ((lc + dbc) + dab) + das;
  if (t < best) {
    best = t;
    Improve3(t, k, f, c, b, a);
  }
  t = ((lc + dac) + dab) + dbs;
  if (t < best) {
    Improve3(t, k, f, c, a, b);
  }
}

// Rec visits the node p[0..k-1], whose path length is l.
void Exhaustive::Rec(int32_t k, double l) {
  Context& ks = *ks_;
  ks.nodes()++;
  const int32_t n = ks.n();
  const double* d = ks.d();
  int32_t* p = p_.data();
  const int32_t prev = p[k - 1];
  const int32_t s = p[0];
  int32_t r = n - k;
  if (ks.directed() && r >= 2) {
    r = -1;  // directed: the plain recursion (see dfs.go)
  }
  switch (r) {
    case 0: {
      const double t = l + d[prev * n + s];
      if (t < best_) {
        best_ = t;
        std::copy(p_.begin(), p_.end(), best_p_.begin());
        ks.Improved(t, ks.nodes(), best_p_.data());
      }
      break;
    }
    case 1: {
      ks.nodes()++;
      const int32_t a = p[k];
      const double t = (l + d[prev * n + a]) + d[a * n + s];
      if (t < best_) {
        Improve(t, k, a, 0, 0);
      }
      break;
    }
    case 2: {
      ks.nodes() += 4;
      const int32_t a = p[k];
      const int32_t b = p[k + 1];
      const double dab = d[a * n + b];
      double t = ((l + d[prev * n + a]) + dab) + d[b * n + s];
      if (t < best_) {
        Improve(t, k, a, b, 0);
      }
      t = ((l + d[prev * n + b]) + dab) + d[a * n + s];
      if (t < best_) {
        Improve(t, k, b, a, 0);
      }
      break;
    }
    case 3: {
      ks.nodes() += 15;
      const int32_t a = p[k];
      const int32_t b = p[k + 1];
      const int32_t c = p[k + 2];
      Three(k, -1, a, b, c, l + d[prev * n + a], l + d[prev * n + b], l + d[prev * n + c], d[a * n + b],
            d[a * n + c], d[b * n + c], d[a * n + s], d[b * n + s], d[c * n + s]);
      break;
    }
    case 4: {
      // The default case's loop over the four children (case 3 each),
      // unrolled: the same poll, node counts, sums, comparisons and
      // improvements in the same order, each distance read once. The matrix
      // is symmetric here (directed ones take the default case).
      tick_++;
      if ((tick_ & 1023) == 0 && ks.StopRequested()) {
        stopped_ = true;
        return;
      }
      const int32_t w = p[k];
      const int32_t x = p[k + 1];
      const int32_t y = p[k + 2];
      const int32_t z = p[k + 3];
      const double dwx = d[w * n + x];
      const double dwy = d[w * n + y];
      const double dwz = d[w * n + z];
      const double dxy = d[x * n + y];
      const double dxz = d[x * n + z];
      const double dyz = d[y * n + z];
      const double dws = d[w * n + s];
      const double dxs = d[x * n + s];
      const double dys = d[y * n + s];
      const double dzs = d[z * n + s];
      double l0 = l + d[prev * n + w];  // child w: x, y, z
      ks.nodes() += 16;
      Three(k + 1, w, x, y, z, l0 + dwx, l0 + dwy, l0 + dwz, dxy, dxz, dyz, dxs, dys, dzs);
      l0 = l + d[prev * n + x];  // child x: w, y, z
      ks.nodes() += 16;
      Three(k + 1, x, w, y, z, l0 + dwx, l0 + dxy, l0 + dxz, dwy, dwz, dyz, dws, dys, dzs);
      l0 = l + d[prev * n + y];  // child y: x, w, z
      ks.nodes() += 16;
      Three(k + 1, y, x, w, z, l0 + dxy, l0 + dwy, l0 + dyz, dwx, dxz, dwz, dxs, dws, dzs);
      l0 = l + d[prev * n + z];  // child z: x, y, w
      ks.nodes() += 16;
      Three(k + 1, z, x, y, w, l0 + dxz, l0 + dyz, l0 + dwz, dxy, dwx, dwy, dxs, dys, dws);
      break;
    }
    default:
      tick_++;
      if ((tick_ & 1023) == 0 && ks.StopRequested()) {
        stopped_ = true;
        return;
      }
      for (int32_t i = k; i < n; i++) {
        std::swap(p[k], p[i]);
        Rec(k + 1, l + d[prev * n + p[k]]);
        std::swap(p[k], p[i]);
        if (stopped_) {
          return;
        }
      }
  }
}

// ---------------------------------------------------------------------------
// LocalSearch (nearest.go)

void LocalSearch::Init(Context& k) {
  k_ = &k;
  const int32_t n = k.n();
  const auto un = static_cast<std::size_t>(n);
  Zero(t_, un);
  Zero(pos_, un);
  Zero(queue_, un);
  Zero(in_q_, un);
  Zero(tmp_, un);
  Zero(used_, un);
  eps_ = 0;
  head_ = 0;
  count_ = 0;
  moves_ = 0;
  ready_ = false;
  three_ = false;
  kn_ = n - 1;
  if (kn_ > kNeighbourK) {
    kn_ = kNeighbourK;
  }
  Zero(nb_, un * static_cast<std::size_t>(kn_));
  directed_ = k.directed();
  if (directed_) {
    Zero(nb_in_, un * static_cast<std::size_t>(kn_));
  }
}

// NearestList fills lst with the kn cities j != i of the least
// d[base + j*stride] (then the lowest index), by insertion into a sorted
// list, and returns the largest of those n-1 values: out of i with base i*n
// and stride 1, into i with base i and stride n.
static double NearestList(const double* d, int32_t* lst, int32_t kn, int32_t n, int32_t i, int32_t base,
                          int32_t stride) noexcept {
  int32_t cnt = 0;
  double dmax = 0.0;
  for (int32_t j = 0; j < n; j++) {
    if (j == i) {
      continue;
    }
    const double dj = d[base + j * stride];
    if (dj > dmax) {
      dmax = dj;
    }
    if (cnt == kn && dj >= d[base + lst[kn - 1] * stride]) {
      continue;
    }
    int32_t p = cnt;
    if (cnt < kn) {
      cnt++;
    } else {
      p = kn - 1;
    }
    while (p > 0 && d[base + lst[p - 1] * stride] > dj) {
      lst[p] = lst[p - 1];
      p--;
    }
    lst[p] = j;
  }
  return dmax;
}

// Neighbours builds the neighbour lists and eps_, polling the cancel flag
// every 16 cities. It returns false if it was stopped.
bool LocalSearch::Neighbours() noexcept {
  const Context& k = *k_;
  const int32_t n = k.n();
  const int32_t kn = kn_;
  const double* d = k.d();
  double dmax = 0.0;
  const int32_t poll = directed_ ? 3 : 15;  // the lists into i read columns
  for (int32_t i = 0; i < n; i++) {
    if ((i & poll) == 0 && k.StopRequested()) {
      return false;
    }
    const double m = NearestList(d, nb_.data() + static_cast<std::ptrdiff_t>(i) * kn, kn, n, i, i * n, 1);
    if (m > dmax) {
      dmax = m;
    }
    if (directed_) {  // the cities nearest into i
      NearestList(d, nb_in_.data() + static_cast<std::ptrdiff_t>(i) * kn, kn, n, i, i, n);
    }
  }
  eps_ = 1e-9 * dmax;  // relative: the same moves at every scale
  ready_ = true;
  return true;
}

int32_t LocalSearch::Succ(int32_t c) const noexcept {
  int32_t p = pos_[c] + 1;
  if (p == k_->n()) {
    p = 0;
  }
  return t_[p];
}

int32_t LocalSearch::Pred(int32_t c) const noexcept {
  int32_t p = pos_[c] - 1;
  if (p < 0) {
    p = k_->n() - 1;
  }
  return t_[p];
}

void LocalSearch::Push(int32_t c) noexcept {
  if (in_q_[c]) {
    return;
  }
  in_q_[c] = 1;
  const int32_t n = k_->n();
  int32_t i = head_ + count_;
  if (i >= n) {
    i -= n;
  }
  queue_[i] = c;
  count_++;
}

int32_t LocalSearch::Pop() noexcept {
  const int32_t c = queue_[head_];
  head_++;
  if (head_ == k_->n()) {
    head_ = 0;
  }
  count_--;
  in_q_[c] = 0;
  return c;
}

// Reverse turns the path from a to b (following Succ) around. It reverses
// whichever of that path and the rest of the cycle is shorter, which gives
// the same cycle.
void LocalSearch::Reverse(int32_t a, int32_t b) {
  const int32_t n = k_->n();
  int32_t i = pos_[a];
  int32_t j = pos_[b];
  int32_t l = j - i;
  if (l < 0) {
    l += n;
  }
  l++;  // cities on the path
  if (2 * l > n) {
    const int32_t ni = j + 1;
    const int32_t nj = i - 1;
    i = ni;
    j = nj;
    if (i == n) {
      i = 0;
    }
    if (j < 0) {
      j = n - 1;
    }
    l = n - l;
  }
  int32_t* t = t_.data();
  int32_t* pos = pos_.data();
  for (int32_t s = 0; s < l / 2; s++) {
    const int32_t ci = t[i];
    const int32_t cj = t[j];
    if (journal_on_) {
      journal_.push_back(i);
      journal_.push_back(ci);
      journal_.push_back(j);
      journal_.push_back(cj);
    }
    t[i] = cj;
    t[j] = ci;
    pos[cj] = i;
    pos[ci] = j;
    i++;
    if (i == n) {
      i = 0;
    }
    j--;
    if (j < 0) {
      j = n - 1;
    }
  }
}

// Wrap brings position p, one step past either end of 0..n-1, back on the
// cycle: two selects and no branch. The move searches take the tour, its
// positions and n in locals and step with it, so that each of their inner
// loops is one block in WebAssembly (wazero loads the memory's base and
// length again at every join) and loads nothing through this.
static inline int32_t Wrap(int32_t p, int32_t n) noexcept {
  p = p == n ? 0 : p;
  return p < 0 ? n - 1 : p;
}

// TSP_NOINLINE: the hot loops of the local search stay functions of their
// own. wazero allocates registers a function at a time, poorly under
// pressure: inlined into its caller, this loop kept its pointers and counters
// in stack slots reloaded at every use; alone, they stay in registers.
#if defined(__GNUC__) || defined(__clang__)
#define TSP_NOINLINE __attribute__((noinline))
#define TSP_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define TSP_NOINLINE
#define TSP_ALWAYS_INLINE inline
#endif

// TwoOptMove looks at the 2-opt moves that give a a new neighbour c from
// its neighbour list, replacing the edge to Succ(a) or the one to Pred(a),
// and applies the best one (the first found among equals).
bool LocalSearch::TwoOptMove(int32_t a) {
  if (directed_) {
    return false;  // it would reverse a stretch
  }
  const int32_t n = k_->n();
  const double* d = k_->d();
  const int32_t kn = kn_;
  const int32_t* t = t_.data();
  const int32_t* pos = pos_.data();
  const int32_t* nb = nb_.data() + static_cast<std::ptrdiff_t>(a) * kn;
  const double* ra = d + a * n;
  const int32_t pa = pos[a];
  double best = -eps_;
  int32_t bc = -1;
  int32_t be = -1;
  int32_t bdir = 0;
  for (int32_t dir = 0; dir < 2; dir++) {
    // dir 0 (step +1): a -> b=succ(a) ... c -> e=succ(c)  becomes  a -> c ... b -> e
    // dir 1 (step -1): e=pred(c) -> c ... b=pred(a) -> a  becomes  b -> e ... a -> c
    const int32_t step = dir == 0 ? 1 : -1;
    const int32_t b = t[Wrap(pa + step, n)];
    const double* rb = d + b * n;
    const double dab = ra[b];
    for (int32_t r = 0; r < kn; r++) {
      const int32_t c = nb[r];
      const double dac = ra[c];
      if (dac >= dab) {
        break;
      }
      const int32_t e = t[Wrap(pos[c] + step, n)];
      if (c == b || e == a) {
        continue;
      }
      const double delta = ((dac + rb[e]) - dab) - d[c * n + e];
      if (delta < best && delta >= -kMaxFloat64) {  // false for NaN and -Inf
        best = delta;
        bc = c;
        be = e;
        bdir = dir;
      }
    }
  }
  if (bc < 0) {
    return false;
  }
  int32_t b;
  if (bdir == 0) {
    b = Succ(a);
    Reverse(b, bc);
  } else {
    b = Pred(a);
    Reverse(a, be);
  }
  gain_ += best;
  Push(a);
  Push(b);
  Push(bc);
  Push(be);
  return true;
}

// OrOptApply applies the Or-opt move found: s1..s2 from between p and x
// to between c and e, s next to c; the cities at the changed edges lose
// their don't-look bits.
void LocalSearch::OrOptApply(double delta, int32_t s1, int32_t s2, int32_t sl, int32_t p, int32_t x, int32_t c,
                             int32_t e, int32_t s) {
  gain_ += delta;
  MoveSegment(s1, s2, sl, p, x, c, e, s);
  Push(p);
  Push(x);
  Push(s1);
  Push(s2);
  Push(c);
  Push(e);
}

// OrOptMove tries to move a segment of 1, 2 or 3 cities that begins or ends
// at a next to one of the neighbours of its first or last city, in either
// orientation. It applies the first improving move.
bool LocalSearch::OrOptMove(int32_t a) {
  const int32_t n = k_->n();
  const double* d = k_->d();
  const int32_t kn = kn_;
  if (n < 4) {
    return false;
  }
  // Every segment below, with p and x around it, lies within three steps of
  // a: the cities at positions pa-3 .. pa+3 (m3 .. a .. p3), read once
  // instead of stepping from a again for each segment (3 < n), in scalars,
  // not an array: in WebAssembly an array indexed at run time lives in
  // linear memory, each access bounds-checked (ls_or_opt_move in tsp.c).
  const int32_t* t = t_.data();
  const int32_t* pos = pos_.data();
  const int32_t pa = pos[a];
  const auto at = [n, pa](int32_t k) noexcept {
    int32_t pk = pa + k;
    pk = pk < 0 ? pk + n : pk;
    return pk >= n ? pk - n : pk;
  };
  const int32_t m3 = t[at(-3)], m2 = t[at(-2)], m1 = t[at(-1)], p1 = t[at(1)], p2 = t[at(2)], p3 = t[at(3)];
  for (int32_t q = 0; q < 5; q++) {
    // segments a, a..succ(a), pred(a)..a, then of 3 cities the same way
    const int32_t sl = (q + 3) / 2;
    if (n < sl + 3) {
      return false;
    }
    // s1 .. s2 from a on (q even) or up to a (q odd), p before, x after
    int32_t s1, s2, p, x, ps1;
    if (q % 2 == 0) {
      s1 = a;
      p = m1;
      s2 = sl == 1 ? a : sl == 2 ? p1 : p2;
      x = sl == 1 ? p1 : sl == 2 ? p2 : p3;
      ps1 = pa;
    } else {
      s2 = a;
      x = p1;
      s1 = sl == 2 ? m1 : m2;
      p = sl == 2 ? m2 : m3;
      ps1 = at(1 - sl);
    }
    const double gain = (d[p * n + s1] + d[s2 * n + x]) - d[p * n + x];
    if (!(gain > eps_ && gain <= kMaxFloat64)) {  // NaN and +Inf are no gain
      continue;
    }
    if (directed_) {
      // The segment keeps its direction: c -> s1 ... s2 -> e, e = Succ(c);
      // c from the cities nearest into s1, then e from those nearest out of s2.
      for (int32_t side = 0; side < 2; side++) {
        for (int32_t r = 0; r < kn; r++) {
          int32_t c;
          int32_t e;
          double dn;
          if (side == 0) {
            c = nb_in_[s1 * kn + r];
            dn = d[c * n + s1];
            if (dn >= gain) {
              break;
            }
            e = Succ(c);
          } else {
            e = nb_[s2 * kn + r];
            dn = d[s2 * n + e];
            if (dn >= gain) {
              break;
            }
            c = Pred(e);
          }
          if (InSegment(c, s1, sl) || InSegment(e, s1, sl)) {
            continue;
          }
          const double delta = side == 0 ? ((dn + d[s2 * n + e]) - d[c * n + e]) - gain
                                         : ((d[c * n + s1] + dn) - d[c * n + e]) - gain;
          if (delta < -eps_ && delta >= -kMaxFloat64) {
            OrOptApply(delta, s1, s2, sl, p, x, c, e, s1);
            return true;
          }
        }
      }
      continue;
    }
    // Candidates: for each end s of the segment, each neighbour c of s,
    // the two edges at c. The segment's own cities are never c or e.
    // The rows in locals; a city's place in the segment from its position
    // (e's is c's, one step on).
    const double eps = eps_;
    for (int32_t end = 0; end < 2; end++) {
      int32_t s = s1;  // s touches c, o touches e
      int32_t o = s2;
      if (end == 1) {
        s = s2;
        o = s1;
      }
      const int32_t* nb = nb_.data() + static_cast<std::ptrdiff_t>(s) * kn;
      const double* rs = d + s * n;
      const double* ro = d + o * n;
      for (int32_t r = 0; r < kn; r++) {
        const int32_t c = nb[r];
        const double dsc = rs[c];
        if (dsc >= gain) {
          break;
        }
        const int32_t pc = pos[c];
        const int32_t off = pc - ps1;
        if ((off < 0 ? off + n : off) < sl) {
          continue;  // c in the segment
        }
        const double* rc = d + c * n;
        for (int32_t side = 0; side < 2; side++) {
          const int32_t pe = Wrap(side == 0 ? pc + 1 : pc - 1, n);
          const int32_t e = t[pe];
          const int32_t oe = pe - ps1;
          const double delta = ((dsc + ro[e]) - rc[e]) - gain;
          // e in the segment: no move
          if ((oe < 0 ? oe + n : oe) >= sl && delta < -eps && delta >= -kMaxFloat64) {
            OrOptApply(delta, s1, s2, sl, p, x, c, e, s);
            return true;
          }
        }
      }
    }
  }
  return false;
}

bool LocalSearch::InSegment(int32_t c, int32_t s1, int32_t sl) const noexcept {
  int32_t off = pos_[c] - pos_[s1];
  if (off < 0) {
    off += k_->n();
  }
  return off < sl;
}

// MoveSegment removes s1..s2 (sl cities, between p and x) and puts it
// between c and e, with s next to c: the cities between the segment and its
// new place shift by sl positions, on whichever side has fewer of them
// (ties: the side from x); the direction of the tour is kept.
void LocalSearch::MoveSegment(int32_t s1, int32_t s2, int32_t sl, int32_t /*p*/, int32_t /*x*/, int32_t c,
                              int32_t e, int32_t s) {
  const int32_t n = k_->n();
  const auto mod = [n](int32_t i) noexcept { return (i % n + n) % n; };
  int32_t seg[3] = {s1, 0, 0};
  if (sl > 1) {
    seg[1] = Succ(s1);
  }
  if (sl > 2) {
    seg[2] = Succ(seg[1]);
  }
  int32_t u = c;      // the segment goes right after u,
  int32_t first = s;  // first next to it
  if (Succ(c) != e) {
    u = e;
    first = s == s1 ? s2 : s1;
  }
  const int32_t ps1 = pos_[s1];
  const int32_t pu = pos_[u];
  const int32_t fwd = mod(pu - ps1 - sl + 1);  // cities from x to u
  const int32_t bwd = n - sl - fwd;            // cities from succ(u) to p
  int32_t base;
  if (fwd <= bwd) {
    for (int32_t i = 0; i < fwd; i++) {
      Set(mod(ps1 + i), t_[mod(ps1 + sl + i)]);
    }
    base = mod(ps1 + fwd);
  } else {
    for (int32_t i = bwd - 1; i >= 0; i--) {
      Set(mod(pu + 1 + i + sl), t_[mod(pu + 1 + i)]);
    }
    base = mod(pu + 1);
  }
  for (int32_t q = 0; q < sl; q++) {
    Set(mod(base + q), first == s1 ? seg[q] : seg[sl - 1 - q]);
  }
}

// Set puts city c at position i, writing the old city to the journal when
// it is on.
void LocalSearch::Set(int32_t i, int32_t c) {
  if (journal_on_) {
    journal_.push_back(i);
    journal_.push_back(t_[i]);
  }
  t_[i] = c;
  pos_[c] = i;
}

// Revert undoes every write in the journal, newest first, and empties it.
void LocalSearch::Revert() noexcept {
  for (std::size_t k = journal_.size(); k >= 2; k -= 2) {
    const int32_t i = journal_[k - 2];
    const int32_t c = journal_[k - 1];
    t_[i] = c;
    pos_[c] = i;
  }
  journal_.clear();
}

// Exchange swaps the stretch of l1 cities from position p with the l2
// cities after it; of the three stretches of the cycle it moves the
// neighbouring pair of the fewest cities, through tmp_ (see
// localsearch.go).
void LocalSearch::Exchange(int32_t p, int32_t l1, int32_t l2) {
  const int32_t n = k_->n();
  const int32_t l3 = n - l1 - l2;
  if (l1 + l2 <= l2 + l3 && l1 + l2 <= l3 + l1) {
    // the first and the second
  } else if (l2 + l3 <= l3 + l1) {  // the second and the third
    p += l1;
    l1 = l2;
    l2 = l3;
  } else {  // the third and the first
    p += l1 + l2;
    const int32_t t1 = l1;
    l1 = l3;
    l2 = t1;
  }
  if (p >= n) {
    p -= n;
  }
  const auto at = [p, n](int32_t i) noexcept {
    i += p;
    return i >= n ? i - n : i;
  };
  for (int32_t i = 0; i < l1 + l2; i++) {
    tmp_[i] = t_[at(i)];
  }
  for (int32_t i = 0; i < l2; i++) {
    Set(at(i), tmp_[l1 + i]);
  }
  for (int32_t i = 0; i < l1; i++) {
    Set(at(l2 + i), tmp_[i]);
  }
}

// OrThreeMove is the directed search's segment exchange (or-3opt): a -> x
// for x among the cities nearest out of a, e -> b for e among those nearest
// into b = Succ(a), c -> f; a b..c x..e f becomes a x..e b..c f. It applies
// the first move that gains; false at once for an undirected tour.
bool LocalSearch::OrThreeMove(int32_t a) {
  if (!directed_) {
    return false;
  }
  const int32_t n = k_->n();
  const int32_t kn = kn_;
  const double* d = k_->d();
  const double eps = eps_;
  int32_t pb = pos_[a] + 1;
  if (pb == n) {
    pb = 0;
  }
  const int32_t b = t_[pb];
  const double dab = d[a * n + b];
  for (int32_t r = 0; r < kn; r++) {
    const int32_t x = nb_[a * kn + r];
    const double g1 = dab - d[a * n + x];
    if (!(g1 > eps)) {
      break;
    }
    if (x == b) {
      continue;
    }
    const int32_t px = pos_[x];
    const int32_t pc = px == 0 ? n - 1 : px - 1;
    const int32_t c = t_[pc];
    int32_t l1 = px - pb;  // cities from b to c
    if (l1 < 0) {
      l1 += n;
    }
    const double g2 = g1 + d[c * n + x];
    for (int32_t q = 0; q < kn; q++) {
      const int32_t e = nb_in_[b * kn + q];
      const double g = g2 - d[e * n + b];
      if (!(g > eps)) {
        break;
      }
      const int32_t pe = pos_[e];
      int32_t l2 = pe - px;  // cities from x to e, less one
      if (l2 < 0) {
        l2 += n;
      }
      l2++;
      if (e == a || l2 > n - l1 - 1) {  // e must lie on x..Pred(a)
        continue;
      }
      const int32_t pf = pe + 1 == n ? 0 : pe + 1;
      const int32_t f = t_[pf];
      const double delta = (d[c * n + f] - d[e * n + f]) - g;
      if (delta < -eps && delta >= -kMaxFloat64) {
        gain_ += delta;
        Exchange(pb, l1, l2);
        Push(a);
        Push(b);
        Push(c);
        Push(x);
        Push(e);
        Push(f);
        return true;
      }
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// The sequential 3-opt move of Iterated (threeopt.go)

// Step is the city after c in the orientation fwd (Succ), or before it.
int32_t LocalSearch::Step(int32_t c, bool fwd) const noexcept { return fwd ? Succ(c) : Pred(c); }

// Offset is how many steps x lies after s in the orientation fwd.
int32_t LocalSearch::Offset(int32_t s, int32_t x, bool fwd) const noexcept {
  int32_t o = pos_[x] - pos_[s];
  if (!fwd) {
    o = -o;
  }
  if (o < 0) {
    o += k_->n();
  }
  return o;
}

// Move2 is the 2-opt move that removes (a, b) and (c, e) and adds (b, c)
// and (e, a).
void LocalSearch::Move2(int32_t a, int32_t b, int32_t /*c*/, int32_t e) {
  if (Succ(a) == b) {
    Reverse(b, e);
  } else {
    Reverse(e, b);
  }
}

void LocalSearch::ThreeDone(double delta, int32_t t1, int32_t t2, int32_t t3, int32_t t4, int32_t t5,
                            int32_t t6) noexcept {
  gain_ += delta;
  Push(t1);
  Push(t2);
  Push(t3);
  Push(t4);
  Push(t5);
  Push(t6);
}

// ThreeOptMove applies the first sequential 3-opt move from t1 that gains
// (see threeopt.go).
bool LocalSearch::ThreeOptMove(int32_t t1) {
  const int32_t n = k_->n();
  const int32_t kn = kn_;
  const double* d = k_->d();
  const int32_t* nb = nb_.data();
  const double eps = eps_;
  for (int32_t dir = 0; dir < 2; dir++) {
    const bool fwd = dir == 0;
    const int32_t t2 = Step(t1, fwd);
    const double d12 = d[t1 * n + t2];
    const int32_t t2n = Step(t2, fwd);
    for (int32_t r = t2 * kn, end = t2 * kn + kn; r < end; r++) {
      const int32_t t3 = nb[r];
      const double g1 = d12 - d[t2 * n + t3];
      if (!(g1 > eps)) {
        break;
      }
      if (t3 == t1 || t3 == t2n) {
        continue;
      }
      for (int32_t alt = 0; alt < 2; alt++) {
        const bool after = alt == 1;  // t4 after t3
        const int32_t t4 = Step(t3, after == fwd);
        const double g2b = g1 + d[t3 * n + t4];
        if (!after) {
          const double delta = d[t4 * n + t1] - g2b;
          if (delta < -eps && delta >= -kMaxFloat64) {
            Move2(t1, t2, t3, t4);
            ThreeDone(delta, t1, t2, t3, t4, t4, t4);
            return true;
          }
        }
        const int32_t o3 = Offset(t2, t3, fwd);  // the stretch t2..t3
        const int32_t o4 = Offset(t2, t4, fwd);
        for (int32_t q = t4 * kn, qe = t4 * kn + kn; q < qe; q++) {
          const int32_t t5 = nb[q];
          const double g2 = g2b - d[t4 * n + t5];
          if (!(g2 > eps)) {
            break;
          }
          if (t5 == t1 || t5 == t3) {
            continue;
          }
          const int32_t o5 = Offset(t2, t5, fwd);
          if (!after) {
            // after the first 2-opt move: t1 t4..t2 t3..; t6 comes before t5
            const int32_t t6 = Step(t5, (o5 <= o4) == fwd);
            if (t6 == t4) {
              continue;
            }
            const double delta = (d[t6 * n + t1] - d[t5 * n + t6]) - g2;
            if (delta < -eps && delta >= -kMaxFloat64) {
              Move2(t1, t2, t3, t4);
              Move2(t1, t4, t5, t6);
              ThreeDone(delta, t1, t2, t3, t4, t5, t6);
              return true;
            }
            continue;
          }
          if (o5 > o3) {  // t5 must lie on t2..t3
            continue;
          }
          int32_t t6 = Step(t5, fwd);  // the exchange
          double delta = (d[t6 * n + t1] - d[t5 * n + t6]) - g2;
          if (delta < -eps && delta >= -kMaxFloat64) {
            if (fwd) {
              Exchange(pos_[t2], o5 + 1, o3 - o5);
            } else {
              Exchange(pos_[t3], o3 - o5, o5 + 1);
            }
            ThreeDone(delta, t1, t2, t3, t4, t5, t6);
            return true;
          }
          if (t5 == t2) {
            continue;
          }
          t6 = Step(t5, !fwd);  // both reversed
          delta = (d[t6 * n + t1] - d[t5 * n + t6]) - g2;
          if (delta < -eps && delta >= -kMaxFloat64) {
            Move2(t1, t2, t5, t6);
            Move2(t2, t5, t4, t3);
            ThreeDone(delta, t1, t2, t3, t4, t5, t6);
            return true;
          }
        }
      }
    }
  }
  return false;
}

// Improve: 2-opt, Or-opt, the segment exchange (directed); ThreeOptMove
// alone when three_.
bool LocalSearch::Improve(int32_t a) {
  if (three_) {
    return ThreeOptMove(a);
  }
  return TwoOptMove(a) || OrOptMove(a) || OrThreeMove(a);
}

// Run improves the tour in t_ until no move improves: rounds of the
// don't-look-bit queue, each starting with every city in tour order, until
// a round applies no move and neither does a pass of FullTwoOpt. It returns
// false if it was stopped.
bool LocalSearch::Run() {
  const int32_t n = k_->n();
  for (int32_t i = 0; i < n; i++) {
    pos_[t_[i]] = i;
    in_q_[i] = 0;
  }
  if (n < 4) {  // no move changes a cycle of 3 or fewer cities
    return true;
  }
  uint32_t polls = 0;
  for (;;) {
    head_ = 0;
    count_ = 0;
    for (int32_t i = 0; i < n; i++) {
      in_q_[i] = 0;
    }
    for (int32_t i = 0; i < n; i++) {
      Push(t_[i]);
    }
    const uint64_t before = moves_;
    while (count_ > 0) {
      polls++;
      if ((polls & 255) == 0 && k_->StopRequested()) {
        return false;
      }
      const int32_t a = Pop();
      if (Improve(a)) {
        moves_++;
        Push(a);
      }
    }
    if (moves_ != before) {
      continue;
    }
    switch (FullTwoOpt()) {
      case kFullNone:
        return true;
      case kFullStopped:
        return false;
      default:
        break;
    }
  }
}

// ScanEdges (scanEdges) weighs the 2-opt moves that replace the edge
// (a, b), whose rows of d are ra and rb, and the edge (p[q-1], p[q]) for
// q = 1 .. len-1 in order, against best (its city c in *bc), and returns the
// best delta. One load of the tour per edge and no test of which edges touch
// a or b (the caller leaves those out): the shape WebAssembly runtimes
// compile well.
TSP_NOINLINE static double ScanEdges(const double* d, const int32_t* p, int32_t len, const double* ra, const double* rb,
                        int32_t n, double dab, double best, int32_t* bc) {
  if (len < 2) {
    return best;
  }
  int32_t c = p[0];
  int32_t bcl = *bc;
  for (int32_t q = 1; q < len; q++) {
    const int32_t e = p[q];
    const double delta = ((ra[c] + rb[e]) - dab) - d[c * n + e];
    if (delta < best && delta >= -kMaxFloat64) {
      best = delta;
      bcl = c;
    }
    c = e;
  }
  *bc = bcl;
  return best;
}

// FullTwoOpt is one pass of 2-opt over every pair of edges, for the moves
// the neighbour lists cannot see (two long edges whose ends are not among
// each other's nearest). For each city a in tour order it applies the best
// move that replaces (a, Succ(a)). It polls the cancel flag every 16
// cities and returns kFullNone, kFullApplied or kFullStopped.
int32_t LocalSearch::FullTwoOpt() {
  if (directed_ || three_) {
    return kFullNone;
  }
  const int32_t n = k_->n();
  const double* d = k_->d();
  int32_t res = kFullNone;
  for (int32_t i = 0; i < n; i++) {
    if ((i & 15) == 0 && k_->StopRequested()) {
      return kFullStopped;
    }
    const int32_t* t = t_.data();
    const int32_t a = t[i];
    const int32_t b = Succ(a);
    const double dab = d[a * n + b];
    const double* ra = d + a * n;
    const double* rb = d + b * n;
    // The edges at j = i-1, i and i+1 (mod n) touch a or b and are
    // skipped; the rest is scanned in order as up to two runs of
    // consecutive positions, then the edge (t[n-1], t[0]), as in Go.
    int32_t bc = -1;
    const int32_t lo = i == n - 1 ? 1 : 0;
    double best = ScanEdges(d, t + lo, i - lo, ra, rb, n, dab, -eps_, &bc);
    if (i + 2 < n - 1) {
      best = ScanEdges(d, t + i + 2, n - i - 2, ra, rb, n, dab, best, &bc);
    }
    if (i != 0 && i < n - 2) {
      const int32_t c = t[n - 1], e = t[0];
      const double delta = ((ra[c] + rb[e]) - dab) - d[c * n + e];
      if (delta < best && delta >= -kMaxFloat64) {
        bc = c;
      }
    }
    if (bc >= 0) {
      const int32_t e = Succ(bc);
      Reverse(b, bc);
      Push(a);
      Push(b);
      Push(bc);
      Push(e);
      moves_++;
      res = kFullApplied;
    }
  }
  return res;
}

// TwoOptFrom builds the nearest-neighbour tour from start in t_ and improves
// it, building the neighbour lists first if needed. It returns false if it
// was stopped; t_ is a tour either way.
bool LocalSearch::TwoOptFrom(int32_t start) {
  if (!k_->NearestInto(start, t_.data(), used_)) {
    return false;
  }
  if (!ready_ && !Neighbours()) {
    return false;
  }
  return Run();
}

int32_t LocalSearch::TwoOpt(Context& k, int32_t start, int32_t* order) {
  Init(k);
  const bool ok = TwoOptFrom(start);
  std::copy(t_.begin(), t_.end(), order);
  k.nodes() = moves_;
  return ok ? TSP_OK : TSP_STOPPED;
}

// ---------------------------------------------------------------------------
// Iterated (iterated.go)

namespace {

constexpr int32_t kKickMaxLen = 100;
constexpr int32_t kKickMaxLen3 = 200;  // kickMaxLen3: under ThreeOptMove
constexpr int32_t kIteratedMinN = 8;

// SplitMix64: splitMix64 in iterated.go.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) noexcept : s_(seed) {}
  uint64_t Next() noexcept {
    s_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = s_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int32_t Below(int32_t m) noexcept { return static_cast<int32_t>(Next() % static_cast<uint64_t>(m)); }

 private:
  uint64_t s_;
};

}  // namespace

double LocalSearch::DoubleBridge(int32_t p, int32_t l1, int32_t l2) {
  const int32_t n = k_->n();
  const double* d = k_->d();
  const auto at = [&](int32_t i) noexcept {  // the city at position p+i, wrapping
    i += p;
    if (i >= n) {
      i -= n;
    }
    return t_[i];
  };
  const int32_t a = at(0), b1 = at(1), bl = at(l1);
  const int32_t c1 = at(l1 + 1), cl = at(l1 + l2), dd = at(l1 + l2 + 1);
  const double delta =
      ((d[a * n + c1] + d[cl * n + b1]) + d[bl * n + dd]) - ((d[a * n + b1] + d[bl * n + c1]) + d[cl * n + dd]);
  for (int32_t i = 0; i < l1 + l2; i++) {
    tmp_[i] = at(1 + i);
  }
  int32_t w = p + 1;
  const int32_t ranges[2][2] = {{l1, l1 + l2}, {0, l1}};  // C, then B
  for (const auto& r : ranges) {
    for (int32_t j = r[0]; j < r[1]; j++) {
      if (w >= n) {
        w -= n;
      }
      Set(w, tmp_[j]);
      w++;
    }
  }
  Push(a);
  Push(b1);
  Push(bl);
  Push(c1);
  Push(cl);
  Push(dd);
  return delta;
}

bool LocalSearch::Drain(uint32_t* polls) {
  while (count_ > 0) {
    (*polls)++;
    if ((*polls & 255) == 0 && k_->StopRequested()) {
      return false;
    }
    const int32_t a = Pop();
    if (Improve(a)) {
      moves_++;
      Push(a);
    }
  }
  return true;
}

int32_t LocalSearch::Kicks(uint64_t seed, int64_t budget, int32_t* best) {
  const int32_t n = k_->n();
  double best_len = k_->CycleLength(t_.data());
  double cur = best_len;
  SplitMix64 rng(seed);
  const int32_t max_len = std::min(three_ ? kKickMaxLen3 : kKickMaxLen, (n - 2) / 2);
  uint32_t polls = 0;
  journal_on_ = true;
  journal_.clear();
  int32_t code = TSP_OK;
  for (int64_t kick = 0; budget <= 0 || kick < budget; kick++) {
    if (k_->StopRequested()) {
      code = TSP_STOPPED;
      break;
    }
    const int32_t p = rng.Below(n);
    const int32_t l1 = 1 + rng.Below(max_len);
    const int32_t l2 = 1 + rng.Below(max_len);
    cur += DoubleBridge(p, l1, l2);
    gain_ = 0;
    if (!Drain(&polls)) {
      Revert();
      code = TSP_STOPPED;
      break;
    }
    cur += gain_;
    const double diff = cur - best_len;
    if (diff <= 0 && diff >= -kMaxFloat64) {  // no longer: keep it
      journal_.clear();
      best_len = cur;
      if (diff < 0) {
        k_->Improved(cur, moves_, t_.data());
      }
    } else {
      Revert();
      cur = best_len;
    }
  }
  journal_on_ = false;
  std::copy(t_.begin(), t_.end(), best);
  return code;
}

int32_t LocalSearch::KicksFrom(Context& k, int32_t start, uint64_t seed, int64_t budget, int32_t* best) {
  Init(k);
  three_ = !k.directed() && k.n() >= kIteratedMinN;
  if (!TwoOptFrom(start)) {
    std::copy(t_.begin(), t_.end(), best);
    return TSP_STOPPED;
  }
  return Kicks(seed, budget, best);
}

int32_t LocalSearch::Iterated(Context& k, int32_t start, uint64_t seed, int64_t budget, int32_t* order) {
  Init(k);
  three_ = !k.directed() && k.n() >= kIteratedMinN;
  const bool ok = TwoOptFrom(start);
  int32_t code;
  if (!ok || k.n() < kIteratedMinN) {
    std::copy(t_.begin(), t_.end(), order);
    code = ok ? TSP_OK : TSP_STOPPED;
  } else {
    if (k.HasProgress()) {
      k.Improved(k.CycleLength(t_.data()), moves_, t_.data());
    }
    code = Kicks(seed, budget, order);
  }
  k.nodes() = moves_;
  return code;
}

// ---------------------------------------------------------------------------
// HeldKarp (exact.go)

int32_t HeldKarp::Exact(Context& k, LocalSearch& ls, int32_t start, int32_t* order, double* lower_bound) {
  const int32_t n = k.n();
  if (n <= 3) {
    for (int32_t i = 0; i < n; i++) {
      order[i] = i;
    }
    k.nodes() = 1;
    return TSP_OK;
  }
  Init(k);
  const int32_t code = Solve(ls, start, lower_bound);
  std::copy(best_.begin(), best_.end(), order);
  return code;
}

void HeldKarp::Init(Context& k) {
  k_ = &k;
  const int32_t n = k.n();
  n_ = n;
  d_ = k.d();
  const auto un = static_cast<std::size_t>(n);
  const std::size_t nn = un * un;
  Zero(state_, nn);
  Zero(inc_, 2 * un);
  Zero(in_deg_, un);
  avail_.assign(un, n - 1);
  undo_.clear();
  Zero(pi_, un);
  Zero(best_pi_, un);
  pi_stack_.clear();
  frames_.clear();
  Zero(key_, un);
  Zero(forced_, un);
  Zero(parent_, un);
  Zero(done_, un);
  Zero(prim_, un);
  Zero(deg_, un);
  s1_ = 0;
  s2_ = 0;
  w1_ = 0;
  w2_ = 0;
  tree_l_ = 0;
  Zero(mx_, nn);
  Zero(adj_, 2 * un);
  Zero(cyc_, un);
  Zero(best_, un);
  k_ed_.clear();
  k_f_.clear();
  f_ed_.clear();
  src_ = nullptr;
  src_len_ = 0;
  src_ok_ = false;
  const std::size_t ne = nn / 2 + 1;  // at most this many free edges, or bundles
  k_ed_.reserve(ne);
  k_f_.reserve(un);
  Zero(k_ft_, un);
  Zero(f_deg_, un);
  Zero(comp_, un);
  Zero(b_start_, ne + 1);
  Zero(b_edge_, ne);
  Zero(b_w_, ne);
  Zero(b_rep_, ne);
  pair_b_.assign(nn, -1);
  Zero(b_of_, ne);
  Zero(b_ren_, ne);
  Zero(b_tmp_, ne + 1);
  Zero(b_comp_, ne);
  Zero(b_keys_, ne);
  Zero(kw_, ne);
  Zero(km_, ne);
  Zero(mv_, ne);
  Zero(sets_, un);
  Zero(t_ids_, un);
  n_bundles_ = 0;
  t_len_ = 0;
  Zero(uf_, un);
  tree_.clear();
  tree_.reserve(un);
  Zero(t_start_, un + 1);
  Zero(t_nb_, 2 * un);
  Zero(t_fill_, un);
  Zero(depth_, un);
  Zero(cover_, un);
  Zero(rs_, un);
  paired_ = false;
  sparse_ = false;
  ub_ = 0;
  lim_ = 0;
  integer_ = true;
  for (std::size_t i = 0; i < nn; i++) {
    const double v = d_[i];
    if (!(v < 1e15 && v == static_cast<double>(static_cast<int64_t>(v)))) {
      integer_ = false;
      break;
    }
  }
  period_ = n;
  if (period_ < 5) {
    period_ = 5;
  }
}

void HeldKarp::SetUB(double v) noexcept {
  ub_ = v;
  double tol = kTolerance * v;
  if (!(tol >= kMinTolerance)) {  // v = 0, or 1e-9 * v underflows
    tol = kMinTolerance;
  }
  if (integer_ && v < kMaxIntegralUB) {
    lim_ = (v - 1) + tol;
  } else {
    lim_ = v - tol;
  }
}

int32_t HeldKarp::Solve(LocalSearch& ls, int32_t start, double* lower_bound) {
  const int32_t n = n_;
  Context& k = *k_;
  // First upper bound: TwoOpt from start, then from every other city.
  ls.Init(k);
  bool stopped = false;
  for (int32_t i = 0; i < n; i++) {
    int32_t s = start + i;
    if (s >= n) {
      s -= n;
    }
    const bool ok = ls.TwoOptFrom(s);
    const double l = k.CycleLength(ls.Tour());
    if (i == 0 || l < ub_) {
      SetUB(l);
      std::copy(ls.Tour(), ls.Tour() + n, best_.begin());
      k.Improved(l, k.nodes(), best_.data());
    }
    if (!ok) {
      stopped = true;
      break;
    }
  }
  if (stopped) {
    *lower_bound = 0;
    return TSP_STOPPED;
  }
  // The root.
  k.nodes() = 1;
  const int32_t iters = kRootIterations + kRootPerCity * n;
  const AscentResult root = Ascent(iters, kRootLambda, period_);
  if (root.result == kAscentStopped) {
    if (root.bound > 0) {
      *lower_bound = root.bound;
    }
    return TSP_STOPPED;
  }
  k.Bounded(root.bound < ub_ ? root.bound : ub_, ub_, best_.data());
  double bound = root.bound;
  if (root.result == kAscentClosed || !Eliminate() || !Tighten(&bound)) {
    return TSP_OK;
  }
  if (n >= kIteratedMinN && Kick(ls, start) != TSP_OK) {
    if (bound > 0) {
      *lower_bound = bound;
    }
    return TSP_STOPPED;
  }
  int32_t paired = 0;
  for (int32_t i = 0; i < n; i++) {
    if (in_deg_[i] > 0) {
      paired++;
    }
  }
  paired_ = 2 * paired > n;
  PushFrame(bound);
  return Search(lower_bound);
}

// Kick is kick (exact.go): the iterated search's kicks improve the upper
// bound once the root has not closed, without reporting their own progress.
int32_t HeldKarp::Kick(LocalSearch& ls, int32_t start) {
  Context& k = *k_;
  const int32_t n = n_;
  // An exception (std::bad_alloc) ends the solve: the Context with it.
  const tsp_progress_fn p = k.TakeProgress();
  const int32_t code = ls.KicksFrom(k, start, kKickSeed, static_cast<int64_t>(kKicksPerCity) * n, cyc_.data());
  k.GiveProgress(p);
  const double l = k.CycleLength(cyc_.data());
  if (l < ub_) {
    SetUB(l);
    std::copy(cyc_.begin(), cyc_.end(), best_.begin());
    k.Improved(l, k.nodes(), best_.data());
  }
  return code;
}

// Search runs the depth-first branch and bound from the root frame.
int32_t HeldKarp::Search(double* lower_bound) {
  const int32_t n = n_;
  while (!frames_.empty()) {
    const auto top = static_cast<int32_t>(frames_.size() - 1);
    Frame& f = frames_[static_cast<std::size_t>(top)];
    UndoTo(f.mark);
    if (f.next >= f.nch || f.bound > lim_) {
      f_ed_.resize(static_cast<std::size_t>(f.e_from));
      frames_.pop_back();
      if (k_->HasProgress()) {
        OpenBound();
      }
      continue;
    }
    const int32_t c = f.next;
    f.next++;
    const double parent_bound = f.bound;
    const auto from = pi_stack_.begin() + static_cast<std::ptrdiff_t>(top) * n;
    std::copy(from, from + n, pi_.begin());
    if (!ApplyChild(f, c)) {
      continue;
    }
    src_ = f_ed_.data() + f.e_from;
    src_len_ = static_cast<std::size_t>(f.e_to - f.e_from);
    src_ok_ = f.e_ok;
    k_->nodes()++;
    const AscentResult r = Ascent(kChildIters, kChildLambda, kChildPeriod);
    if (r.result == kAscentStopped) {
      double lb = ub_;
      for (int32_t i = 0; i <= top; i++) {
        const Frame& g = frames_[static_cast<std::size_t>(i)];
        if ((g.next < g.nch || i == top) && g.bound < lb) {
          lb = g.bound;
        }
      }
      *lower_bound = lb;
      return TSP_STOPPED;
    }
    if (r.result == kAscentClosed) {
      continue;
    }
    double b = r.bound;
    if (b < parent_bound) {
      b = parent_bound;
    }
    if (b > lim_ || !Eliminate() || !Tighten(&b)) {
      continue;
    }
    PushFrame(b);
  }
  return TSP_OK;
}

bool HeldKarp::ApplyChild(const Frame& f, int32_t c) {
  if (c == 0 && f.nch == 3) {
    return Include(f.v, f.a) && Include(f.v, f.b);
  }
  if (c == 1 && f.nch == 3) {
    return Include(f.v, f.a) && Exclude(f.v, f.b);
  }
  if (c == 0) {
    return Include(f.v, f.a);
  }
  return Exclude(f.v, f.a);
}

// BranchCity (branchCity in exact.go): the city to branch on, the one whose
// children the rises predict to survive least.
int32_t HeldKarp::BranchCity() noexcept {
  const int32_t n = n_;
  const double gap = lim_ - tree_l_;
  int32_t best = -1;
  double best_score = 0;
  double best_min = 0;
  double* rs = rs_.data();
  for (int32_t v = 0; v < n; v++) {
    if (deg_[v] <= 2) {
      continue;
    }
    int32_t m = 0;
    for (int32_t u = 0; u < n; u++) {
      if (u == v || state_[v * n + u] != kEdgeFree || !TreeEdge(v, u)) {
        continue;
      }
      const double r = Rise(v, u);
      int32_t q = m;
      while (q > 0 && rs[q - 1] > r) {
        rs[q] = rs[q - 1];
        q--;
      }
      rs[q] = r;
      m++;
    }
    if (m == 0) {
      continue;
    }
    double est[3];
    int32_t k = 0;
    est[k++] = rs[0];
    if (in_deg_[v] == 0) {
      est[k] = kInf;
      if (m > 1) {
        est[k] = rs[1];
      }
      k++;
    }
    est[k] = kInf;
    if (m > k) {
      est[k] = rs[m - 1];
    }
    k++;
    double score = 0;
    for (int32_t i = 0; i < k; i++) {
      const double e = est[i];
      if (!(e <= gap)) {
        continue;
      }
      if (paired_ || !(gap > 0)) {
        score += 1;
      } else {
        score += 1 - e / gap;
      }
    }
    if (best < 0 || score < best_score || (score == best_score && rs[0] > best_min)) {
      best = v;
      best_score = score;
      best_min = rs[0];
    }
  }
  if (best < 0) {
    best = 0;
    for (int32_t i = 1; i < n; i++) {
      if (deg_[i] > deg_[best]) {
        best = i;
      }
    }
  }
  return best;
}

// PushFrame records a node to branch on, from the current 1-tree and pi.
void HeldKarp::PushFrame(double bound) {
  const int32_t n = n_;
  ComputeCover();
  const int32_t v = BranchCity();
  // its free 1-tree edges, the one whose exclusion raises the 1-tree least
  // first (ties to the lowest index)
  int32_t a = -1;
  int32_t b = -1;
  double ra = 0;
  double rb = 0;
  for (int32_t u = 0; u < n; u++) {
    if (u == v || state_[v * n + u] != kEdgeFree || !TreeEdge(v, u)) {
      continue;
    }
    const double r = Rise(v, u);
    if (a < 0 || r < ra) {
      b = a;
      rb = ra;
      a = u;
      ra = r;
    } else if (b < 0 || r < rb) {
      b = u;
      rb = r;
    }
  }
  int32_t nch = 3;
  if (in_deg_[v] > 0) {
    nch = 2;
  }
  const auto top = static_cast<int32_t>(frames_.size());
  if (static_cast<int32_t>(pi_stack_.size()) < (top + 1) * n) {
    pi_stack_.insert(pi_stack_.end(), pi_.begin(), pi_.end());
  } else {
    std::copy(pi_.begin(), pi_.end(), pi_stack_.begin() + static_cast<std::ptrdiff_t>(top) * n);
  }
  const auto e_from = static_cast<int32_t>(f_ed_.size());
  if (sparse_) {
    MergeEdges(&f_ed_);
  }
  frames_.push_back(Frame{static_cast<int32_t>(undo_.size()), bound, v, a, b, 0, nch, e_from,
                          static_cast<int32_t>(f_ed_.size()), sparse_});
}

// Cover is the cover step of forceEdges (exact.go): the free non-tree edge
// (i,j) may replace every tree edge on its tree path.
void HeldKarp::Cover(int32_t i, int32_t j) noexcept {
  const int32_t n = n_;
  if (state_[i * n + j] != kEdgeFree || parent_[i] == j || parent_[j] == i) {
    return;
  }
  const double w = (d_[i * n + j] + pi_[i]) + pi_[j];
  int32_t a = i;
  int32_t b = j;
  while (a != b) {
    if (depth_[a] < depth_[b]) {
      std::swap(a, b);
    }
    if (w < cover_[a]) {
      cover_[a] = w;
    }
    a = parent_[a];
  }
}

// ForceEdges is forceEdges (exact.go): false when an inclusion is
// infeasible; *changed whether a state changed.
// CheapestAtZero is cheapestAtZero (exact.go): the cheapest free edge of
// city 0 besides s1_ and s2_, +inf when there is none.
double HeldKarp::CheapestAtZero() const noexcept {
  const int32_t n = n_;
  const double* d = d_;
  const double* pi = pi_.data();
  const int8_t* st = state_.data();
  double wn = kInf;
  for (int32_t u = 1; u < n; u++) {
    if (u == s1_ || u == s2_ || st[u] != kEdgeFree) {
      continue;
    }
    const double w = (d[u] + pi[0]) + pi[u];
    if (w < wn) {
      wn = w;
    }
  }
  return wn;
}

// ComputeCover is computeCover (exact.go): cover_ for the current tree, and
// wn_.
void HeldKarp::ComputeCover() noexcept {
  const int32_t n = n_;
  depth_[1] = 0;
  cover_[1] = kInf;
  for (int32_t c = 1; c < n - 1; c++) {
    const int32_t v = prim_[c];
    depth_[v] = depth_[parent_[v]] + 1;
    cover_[v] = kInf;
  }
  if (sparse_) {
    for (const Edge& e : k_ed_) {
      Cover(e.i, e.j);
    }
  } else {
    for (int32_t i = 1; i < n; i++) {
      for (int32_t j = i + 1; j < n; j++) {
        Cover(i, j);
      }
    }
  }
  const double wn = CheapestAtZero();
  wn_ = wn;
}

// Rise is rise (exact.go): what excluding the free tree edge (v,u) alone
// would add to the 1-tree; ComputeCover must have run on this tree.
double HeldKarp::Rise(int32_t v, int32_t u) const noexcept {
  if (v == 0 || u == 0) {
    const int32_t s = v + u;
    if (s == s1_) {
      return wn_ - w1_;
    }
    return wn_ - w2_;
  }
  if (parent_[v] == u) {
    return cover_[v] - key_[v];
  }
  return cover_[u] - key_[u];
}

bool HeldKarp::ForceEdges(bool* changed) {
  const int32_t n = n_;
  const int8_t* st = state_.data();
  *changed = false;
  ComputeCover();
  const double L = tree_l_;
  for (int32_t c = 1; c < n - 1; c++) {
    const int32_t v = prim_[c];
    const int32_t p = parent_[v];
    if (st[p * n + v] != kEdgeFree) {
      continue;
    }
    if ((L + cover_[v]) - key_[v] > lim_) {
      *changed = true;
      if (!Include(v, p)) {
        return false;
      }
    }
  }
  const double wn = CheapestAtZero();
  const int32_t ss[2] = {s1_, s2_};
  const double ws[2] = {w1_, w2_};
  for (int t = 0; t < 2; t++) {
    if (st[ss[t]] == kEdgeFree && (L + wn) - ws[t] > lim_) {
      *changed = true;
      if (!Include(0, ss[t])) {
        return false;
      }
    }
  }
  for (int32_t i = 0; i < n; i++) {
    if (avail_[i] != 2 || in_deg_[i] == 2) {
      continue;
    }
    for (int32_t u = 0; u < n; u++) {
      if (u != i && st[i * n + u] == kEdgeFree) {
        *changed = true;
        if (!Include(i, u)) {
          return false;
        }
      }
    }
  }
  return true;
}

// Tighten is tighten (exact.go): false when the node is closed
// (infeasible, pruned, or solved by a tour).
bool HeldKarp::Tighten(double* bound) {
  for (int32_t round = 0; round < kTightenRounds; round++) {
    bool changed = false;
    if (!ForceEdges(&changed)) {
      return false;
    }
    if (!changed) {
      return true;
    }
    if (sparse_) {
      scr_.clear();
      MergeEdges(&scr_);
      src_ = scr_.data();
      src_len_ = scr_.size();
      src_ok_ = true;
    }
    BuildAdj();
    if (!OneTree(true)) {
      return false;
    }
    if (tree_l_ > *bound) {
      *bound = tree_l_;
    }
    if (*bound > lim_) {
      return false;
    }
    int32_t norm = 0;
    for (int32_t i = 0; i < n_; i++) {
      const int32_t g = deg_[i] - 2;
      norm += g * g;
    }
    if (norm == 0) {
      TourFromTree();
      return false;
    }
    if (!Eliminate()) {
      return false;
    }
  }
  return true;
}

bool HeldKarp::TreeEdge(int32_t v, int32_t u) const noexcept {
  if (v == 0) {
    return u == s1_ || u == s2_;
  }
  if (u == 0) {
    return v == s1_ || v == s2_;
  }
  return parent_[v] == u || parent_[u] == v;
}

// OneTree computes the minimum 1-tree under pi_ and the edge states into
// key_, parent_, prim_, deg_, s1_, s2_, w1_, w2_ and tree_l_. It returns
// false if the states leave no 1-tree.
// BuildAdj is buildAdj (exact.go): the edges between cities 1..n-1 that are
// not excluded (included ones in k_f_, free ones in k_ed_), and the
// choice of the sparse 1-tree when they are fewer than a quarter of all;
// from src_ (a parent's list, or Tighten's) when src_ok_.
void HeldKarp::BuildAdj() noexcept {
  const int32_t n = n_;
  int32_t m = 0;
  for (int32_t i = 1; i < n; i++) {
    m += avail_[i];
  }
  sparse_ = m <= (n - 1) * (n - 1) / 4;
  const Pair* src = src_;
  const std::size_t src_len = src_len_;
  const bool src_ok = src_ok_;
  src_ = nullptr;
  src_len_ = 0;
  src_ok_ = false;
  if (!sparse_) {
    return;
  }
  // the capacities reserved in Init hold every edge: no allocation here
  k_ed_.clear();
  k_f_.clear();
  if (src_ok) {
    // every edge that is not excluded is in src, in index order: the
    // states only moved from free since src was taken
    for (std::size_t q = 0; q < src_len; q++) {
      const Pair e = src[q];
      const std::size_t x = static_cast<std::size_t>(e.i) * static_cast<std::size_t>(n) + static_cast<std::size_t>(e.j);
      if (state_[x] == kEdgeIn) {
        k_f_.push_back(Edge{d_[x], e.i, e.j, true, 0});
      } else if (state_[x] == kEdgeFree) {
        k_ed_.push_back(Edge{d_[x], e.i, e.j, false, 0});
      }
    }
    Contract();
    return;
  }
  for (int32_t i = 1; i < n; i++) {
    const int8_t* row = state_.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(n);
    const double* drow = d_ + static_cast<std::size_t>(i) * static_cast<std::size_t>(n);
    for (int32_t j = i + 1; j < n; j++) {
      if (row[j] == kEdgeIn) {
        k_f_.push_back(Edge{drow[j], i, j, true, 0});
      } else if (row[j] == kEdgeFree) {
        k_ed_.push_back(Edge{drow[j], i, j, false, 0});
      }
    }
  }
  Contract();
}

// MergeEdges is mergeEdges (exact.go): appends to dst the edges of k_f_ and
// k_ed_ (each in index order) that are not excluded, in index order.
void HeldKarp::MergeEdges(std::vector<Pair>* dst) {
  const std::size_t n = static_cast<std::size_t>(n_);
  std::size_t a = 0, b = 0;
  while (a < k_f_.size() || b < k_ed_.size()) {
    const Edge* x;
    if (b == k_ed_.size() || (a < k_f_.size() && (k_f_[a].i < k_ed_[b].i || (k_f_[a].i == k_ed_[b].i && k_f_[a].j < k_ed_[b].j)))) {
      x = &k_f_[a++];
    } else {
      x = &k_ed_[b++];
    }
    if (state_[static_cast<std::size_t>(x->i) * n + static_cast<std::size_t>(x->j)] != kEdgeOut) {
      dst->push_back(Pair{x->i, x->j});
    }
  }
}

// AddCity adds city v, Prim's cnt-th, to the tree.
void HeldKarp::AddCity(int32_t cnt, int32_t v, double* sum) noexcept {
  done_[v] = 1;
  prim_[cnt] = v;
  *sum += key_[v];
  deg_[v]++;
  deg_[parent_[v]]++;
}

namespace {
int32_t UfFind(int32_t* uf, int32_t x) noexcept {
  while (uf[x] != x) {
    uf[x] = uf[uf[x]];
    x = uf[x];
  }
  return x;
}
}  // namespace

// Contract is contract (exact.go): the components that the included edges
// make of cities 1..n-1 (Kruskal takes those edges first: k_ft_), and the
// bundles of free edges between two components, those of one edge first;
// Kruskal's keys, one per bundle, sorted under the current penalties.
void HeldKarp::Contract() noexcept {
  const int32_t n = n_;
  int32_t* uf = uf_.data();
  int32_t* fd = f_deg_.data();
  int32_t* comp = comp_.data();
  for (int32_t i = 0; i < n; i++) {
    uf[i] = i;
    fd[i] = 0;
    comp[i] = -1;
  }
  k_ft_.clear();  // capacity n from Init: no allocation
  for (const Edge& x : k_f_) {
    const int32_t ri = UfFind(uf, x.i);
    const int32_t rj = UfFind(uf, x.j);
    if (ri == rj) {
      continue;  // never: included edges form paths
    }
    uf[ri] = rj;
    fd[x.i]++;
    fd[x.j]++;
    k_ft_.push_back(x);
  }
  int32_t c = 0;
  for (int32_t i = 1; i < n; i++) {
    const int32_t r = UfFind(uf, i);
    if (comp[r] < 0) {
      comp[r] = c++;
    }
    comp[i] = comp[r];
  }
  n_comp_ = c;
  // bundles, numbered first by their lowest edge: pair_b_[a*c+b] for the
  // components a < b, and each bundle's size in b_start_
  int32_t* pb = pair_b_.data();
  int32_t* bs = b_start_.data();
  int32_t* b_of = b_of_.data();
  int32_t* ren = b_ren_.data();
  int32_t* start = b_tmp_.data();
  Pair* cc = b_comp_.data();
  const Edge* ed = k_ed_.data();
  const std::size_t ne = k_ed_.size();
  std::size_t nb = 0;
  for (std::size_t k = 0; k < ne; k++) {
    int32_t a = comp[ed[k].i];
    int32_t b = comp[ed[k].j];
    if (a == b) {
      b_of[k] = -1;
      continue;
    }
    if (a > b) {
      std::swap(a, b);
    }
    int32_t x = pb[a * c + b];
    if (x < 0) {
      x = static_cast<int32_t>(nb++);
      pb[a * c + b] = x;
      bs[x] = 0;
      cc[x] = Pair{a, b};
    }
    bs[x]++;
    b_of[k] = x;
  }
  for (std::size_t x = 0; x < nb; x++) {
    pb[cc[x].i * c + cc[x].j] = -1;
  }
  // renumber: bundles of one edge first, each group in its order
  int32_t ns = 0;
  for (std::size_t x = 0; x < nb; x++) {
    ns += bs[x] == 1;
  }
  int32_t i1 = 0;
  int32_t i2 = ns;
  for (std::size_t x = 0; x < nb; x++) {
    ren[x] = bs[x] == 1 ? i1++ : i2++;
  }
  n_single_ = ns;
  for (std::size_t x = 0; x <= nb; x++) {
    start[x] = 0;
  }
  for (std::size_t x = 0; x < nb; x++) {
    start[ren[x] + 1] = bs[x];
  }
  for (std::size_t x = 1; x <= nb; x++) {
    start[x] += start[x - 1];
  }
  std::copy(start, start + nb + 1, bs);
  Edge* be = b_edge_.data();
  for (std::size_t k = 0; k < ne; k++) {
    const int32_t x = b_of[k];
    if (x < 0) {
      continue;
    }
    Edge e = ed[k];
    e.id = static_cast<int32_t>(k);
    be[start[ren[x]]++] = e;
  }
  n_bundles_ = nb;
  for (int32_t b = 0; b < ns; b++) {
    b_rep_[b] = be[b].id;  // a bundle of one edge: always that edge
  }
  Weigh();
  Key* keys = b_keys_.data();
  for (std::size_t x = 0; x < nb; x++) {
    const int32_t y = ren[x];
    keys[y] = Key{b_w_[y], b_rep_[y], y, static_cast<uint16_t>(cc[x].i), static_cast<uint16_t>(cc[x].j)};
  }
  std::sort(keys, keys + nb, [](const Key& a, const Key& b) { return a.w < b.w || (a.w == b.w && a.rep < b.rep); });
  for (std::size_t k = 0; k < nb; k++) {
    kw_[k] = keys[k].w;
    km_[k] = static_cast<uint64_t>(static_cast<uint32_t>(keys[k].b)) | static_cast<uint64_t>(keys[k].ci) << 32 |
             static_cast<uint64_t>(keys[k].cj) << 48;
  }
}

// Weigh is weigh (exact.go): each bundle's weight under the penalties, its
// lightest edge's (the lowest index among equal weights), and for a bundle
// of more than one edge that edge's place in k_ed_.
void HeldKarp::Weigh() noexcept {
  const double* pi = pi_.data();
  const Edge* be = b_edge_.data();
  const int32_t* bs = b_start_.data();
  double* bw = b_w_.data();
  int32_t* br = b_rep_.data();
  for (int32_t b = 0; b < n_single_; b++) {
    const Edge& e = be[b];
    bw[b] = (e.d + pi[e.i]) + pi[e.j];
  }
  for (auto b = static_cast<std::size_t>(n_single_); b < n_bundles_; b++) {
    const int32_t s = bs[b];
    const int32_t t = bs[b + 1];
    int32_t r = be[s].id;
    double v = (be[s].d + pi[be[s].i]) + pi[be[s].j];
    for (int32_t q = s + 1; q < t; q++) {  // in index order: ties keep the first
      const Edge& e = be[q];
      const double x = (e.d + pi[e.i]) + pi[e.j];
      if (x < v) {
        r = e.id;
        v = x;
      }
    }
    bw[b] = v;
    br[b] = r;
  }
}

namespace {
// SortKeys is sortKeys (exact.go): the keys weighed by their bundles and
// sorted by weight, then by the lightest edge's index, by insertion of only
// the keys below the largest key before them (listed without branches).
void SortKeys(double* kw, uint64_t* km, std::size_t len, const double* bw, const int32_t* br, int32_t* mv) noexcept {
  std::size_t m = 0;
  int64_t hi = INT64_MIN;  // the largest key so far, as an ordered integer
  for (std::size_t k = 0; k < len; k++) {
    const double w = bw[static_cast<uint32_t>(km[k])];
    kw[k] = w;
    int64_t x;  // w's bits as an integer in w's order (-0 and +0 the same)
    std::memcpy(&x, &w, sizeof x);
    x ^= static_cast<int64_t>(static_cast<uint64_t>(x >> 63) & static_cast<uint64_t>(INT64_MAX));
    x -= x >> 63;
    mv[m] = static_cast<int32_t>(k);
    m += x <= hi;  // a tie may move too, by its index
    hi = x > hi ? x : hi;
  }
  for (std::size_t t = 0; t < m; t++) {
    const auto k = static_cast<std::size_t>(mv[t]);
    const double xw = kw[k];
    const uint64_t xm = km[k];
    const int32_t xr = br[static_cast<uint32_t>(xm)];
    std::size_t q = k;
    for (; q > 0; q--) {
      const double yw = kw[q - 1];
      if (!(yw > xw || (yw == xw && br[static_cast<uint32_t>(km[q - 1])] > xr))) {
        break;
      }
      kw[q] = yw;
      km[q] = km[q - 1];
    }
    kw[q] = xw;
    km[q] = xm;
  }
}

// JoinKeys is joinKeys (exact.go): Kruskal's scan of the sorted keys; a
// key's bundle joins its two components unless they carry the same label,
// the smaller set taking the larger one's label. It returns the edges
// written to tl.
std::size_t JoinKeys(const double* kw, const uint64_t* km, std::size_t len, const int32_t* br, HkSet* sets, int32_t* tl,
                     std::size_t need, double* sum) noexcept {
  std::size_t t = 0;
  double s = *sum;
  for (std::size_t k = 0; k < len && t < need; k++) {
    const uint64_t x = km[k];
    int32_t la = sets[static_cast<uint16_t>(x >> 32)].lab;
    int32_t lb = sets[x >> 48].lab;
    if (la == lb) {
      continue;
    }
    if (sets[la].size < sets[lb].size) {
      std::swap(la, lb);
    }
    int32_t m = sets[lb].head;
    for (;;) {
      sets[m].lab = la;
      if (sets[m].next < 0) {
        break;
      }
      m = sets[m].next;
    }
    sets[m].next = sets[la].head;
    sets[la].head = sets[lb].head;
    sets[la].size += sets[lb].size;
    s += kw[k];
    tl[t++] = br[static_cast<uint32_t>(x)];
  }
  *sum = s;
  return t;
}
}  // namespace

// Kruskal is kruskal (exact.go): the spanning tree of cities 1..n-1 over
// the edges of BuildAdj: the included edges, in index order, then the free
// ones by weight (then index), each taken unless it closes a cycle, run on
// Contract's components and bundles (the same edges in the same order, the
// same sum); degrees, and the free edges taken in t_ids_.
bool HeldKarp::Kruskal(double* sum_out) noexcept {
  const double* pi = pi_.data();
  std::copy(f_deg_.begin(), f_deg_.end(), deg_.begin());
  Weigh();
  SortKeys(kw_.data(), km_.data(), n_bundles_, b_w_.data(), b_rep_.data(), mv_.data());
  const int32_t c = n_comp_;
  for (int32_t i = 0; i < c; i++) {
    sets_[i] = HkSet{i, i, -1, 1};
  }
  double sum = 0.0;
  for (const Edge& x : k_ft_) {
    sum += (x.d + pi[x.i]) + pi[x.j];
  }
  const auto need = static_cast<std::size_t>(c - 1);
  const std::size_t t = JoinKeys(kw_.data(), km_.data(), n_bundles_, b_rep_.data(), sets_.data(), t_ids_.data(), need, &sum);
  for (std::size_t q = 0; q < t; q++) {
    const Edge& e = k_ed_[static_cast<std::size_t>(t_ids_[q])];
    deg_[e.i]++;
    deg_[e.j]++;
  }
  t_len_ = t;
  *sum_out = sum;
  return t == need;
}

// ClearPrim is Prim's state before a tree, city 1 in it.
void HeldKarp::ClearPrim() noexcept {
  for (int32_t v = 0; v < n_; v++) {
    key_[v] = kInf;
    forced_[v] = 0;
    parent_[v] = -1;
    done_[v] = 0;
  }
  done_[1] = 1;
  prim_[0] = 1;
}

// RootTree is rootTree (exact.go): Kruskal's tree rooted at city 1,
// breadth first.
void HeldKarp::RootTree() noexcept {
  const int32_t n = n_;
  const double* pi = pi_.data();
  tree_.clear();  // capacity n reserved in Init: the edges in the order Kruskal took them
  tree_.insert(tree_.end(), k_ft_.begin(), k_ft_.end());
  for (std::size_t q = 0; q < t_len_; q++) {
    tree_.push_back(k_ed_[static_cast<std::size_t>(t_ids_[q])]);
  }
  ClearPrim();
  int32_t* ts = t_start_.data();
  int32_t* tn = t_nb_.data();
  int32_t* fill = t_fill_.data();
  for (int32_t i = 0; i <= n; i++) {
    ts[i] = 0;
  }
  for (const Edge& x : tree_) {
    ts[x.i + 1]++;
    ts[x.j + 1]++;
  }
  for (int32_t i = 1; i <= n; i++) {
    ts[i] += ts[i - 1];
  }
  std::copy(ts, ts + n, fill);
  for (std::size_t k = 0; k < tree_.size(); k++) {
    const Edge& x = tree_[k];
    tn[fill[x.i]++] = static_cast<int32_t>(k);
    tn[fill[x.j]++] = static_cast<int32_t>(k);
  }
  int32_t cnt = 1;
  for (int32_t q = 0; q < cnt; q++) {
    const int32_t v = prim_[q];
    for (int32_t t = ts[v]; t < ts[v + 1]; t++) {
      const Edge& x = tree_[static_cast<std::size_t>(tn[t])];
      const int32_t u = x.i == v ? x.j : x.i;
      if (done_[u]) {
        continue;
      }
      key_[u] = (x.d + pi[x.i]) + pi[x.j];
      parent_[u] = v;
      forced_[u] = x.in ? 1 : 0;
      done_[u] = 1;
      prim_[cnt++] = u;
    }
  }
}

bool HeldKarp::OneTree(bool root) noexcept {
  const int32_t n = n_;
  const double* d = d_;
  const double* pi = pi_.data();
  const int8_t* st = state_.data();
  for (int32_t v = 0; v < n; v++) {
    deg_[v] = 0;
  }
  double sum = 0.0;
  int32_t last = 1;
  if (sparse_) {  // Prim's state is RootTree's to set
    if (!Kruskal(&sum)) {
      return false;
    }
    if (root) {
      RootTree();
    }
  } else {
    ClearPrim();
  }
  for (int32_t cnt = 1; cnt < n - 1 && !sparse_; cnt++) {
    const int32_t row = last * n;
    const double pl = pi[last];
    int32_t best = -1;
    for (int32_t u = 1; u < n; u++) {
      if (done_[u]) {
        continue;
      }
      const int8_t s = st[row + u];
      if (s != kEdgeOut) {
        const double w = (d[row + u] + pl) + pi[u];
        const bool f = s == kEdgeIn;
        const bool fu = forced_[u] != 0;
        if ((f && !fu) || (f == fu && w < key_[u])) {
          key_[u] = w;
          forced_[u] = f ? 1 : 0;
          parent_[u] = last;
        }
      }
      if (parent_[u] >= 0) {
        const bool fu = forced_[u] != 0;
        if (best < 0) {
          best = u;
        } else {
          const bool fb = forced_[best] != 0;
          if ((fu && !fb) || (fu == fb && key_[u] < key_[best])) {
            best = u;
          }
        }
      }
    }
    if (best < 0) {
      return false;
    }
    AddCity(cnt, best, &sum);
    last = best;
  }
  // city 0: its included edges first, then the cheapest free ones
  int32_t s1 = -1;
  int32_t s2 = -1;
  int32_t c1 = -1;
  int32_t c2 = -1;
  double w1 = 0;
  double w2 = 0;
  double wc1 = 0;
  double wc2 = 0;
  for (int32_t u = 1; u < n; u++) {
    const int8_t s = st[u];
    if (s == kEdgeOut) {
      continue;
    }
    const double w = (d[u] + pi[0]) + pi[u];
    if (s == kEdgeIn) {
      if (s1 < 0) {
        s1 = u;
        w1 = w;
      } else {
        s2 = u;
        w2 = w;
      }
      continue;
    }
    if (c1 < 0 || w < wc1) {
      c2 = c1;
      wc2 = wc1;
      c1 = u;
      wc1 = w;
    } else if (c2 < 0 || w < wc2) {
      c2 = u;
      wc2 = w;
    }
  }
  if (s1 < 0) {
    s1 = c1;
    w1 = wc1;
    s2 = c2;
    w2 = wc2;
  } else if (s2 < 0) {
    s2 = c1;
    w2 = wc1;
  }
  if (s1 < 0 || s2 < 0) {
    return false;
  }
  s1_ = s1;
  s2_ = s2;
  w1_ = w1;
  w2_ = w2;
  deg_[0] = 2;
  deg_[s1]++;
  deg_[s2]++;
  double psum = 0.0;
  for (int32_t i = 0; i < n; i++) {
    psum += pi[i];
  }
  tree_l_ = ((sum + w1) + w2) - 2 * psum;
  return true;
}

// Ascent runs at most iters subgradient steps from pi_. On kAscentOpen it
// leaves pi_ at the best penalties and the 1-tree computed under them.
HeldKarp::AscentResult HeldKarp::Ascent(int32_t iters, double lambda, int32_t period) {
  const int32_t n = n_;
  BuildAdj();
  double best_l = -kInf;
  int32_t since = 0;
  for (int32_t it = 0; it < iters; it++) {
    if (k_->StopRequested()) {
      return {best_l, kAscentStopped};
    }
    if (!OneTree(false)) {
      return {best_l, kAscentClosed};
    }
    const double L = tree_l_;
    if (!(L >= -kMaxFloat64 && L <= kMaxFloat64)) {
      break;  // an overflow (CheckDistances prevents it): no bound from these penalties
    }
    if (L > best_l) {
      best_l = L;
      std::copy(pi_.begin(), pi_.end(), best_pi_.begin());
      since = 0;
    } else {
      since++;
      if (since >= period) {
        lambda *= 0.5;
        since = 0;
      }
    }
    int32_t norm = 0;
    for (int32_t i = 0; i < n; i++) {
      const int32_t g = deg_[i] - 2;
      norm += g * g;
    }
    if (norm == 0) {
      if (sparse_) {
        RootTree();
      }
      TourFromTree();
      return {L, kAscentClosed};
    }
    if (best_l > lim_) {
      return {best_l, kAscentClosed};
    }
    if (lambda < kMinLambda) {
      break;
    }
    const double t = lambda * (ub_ - L) / static_cast<double>(norm);
    for (int32_t i = 0; i < n; i++) {
      const int32_t g = deg_[i] - 2;
      if (g != 0) {
        pi_[i] += t * static_cast<double>(g);
      }
    }
  }
  std::copy(best_pi_.begin(), best_pi_.end(), pi_.begin());
  OneTree(true);  // the same states gave a 1-tree before, so this one exists
  return {best_l, kAscentOpen};
}

// TourFromTree takes the current 1-tree, in which every degree is 2, as a
// tour and keeps it if it is shorter than the best.
void HeldKarp::TourFromTree() noexcept {
  const int32_t n = n_;
  for (int32_t i = 0; i < 2 * n; i++) {
    adj_[i] = -1;
  }
  auto link = [this](int32_t a, int32_t b) {
    if (adj_[2 * a] < 0) {
      adj_[2 * a] = b;
    } else {
      adj_[2 * a + 1] = b;
    }
  };
  for (int32_t v = 1; v < n; v++) {
    const int32_t p = parent_[v];
    if (p >= 0) {
      link(v, p);
      link(p, v);
    }
  }
  link(0, s1_);
  link(s1_, 0);
  link(0, s2_);
  link(s2_, 0);
  int32_t prev = -1;
  int32_t cur = 0;
  for (int32_t i = 0; i < n; i++) {
    cyc_[i] = cur;
    int32_t nx = adj_[2 * cur];
    if (nx == prev) {
      nx = adj_[2 * cur + 1];
    }
    prev = cur;
    cur = nx;
  }
  const double l = k_->CycleLength(cyc_.data());
  if (l < ub_) {
    SetUB(l);
    std::copy(cyc_.begin(), cyc_.end(), best_.begin());
    k_->Improved(l, k_->nodes(), best_.data());
  }
}

// OpenBound (exact.go): after a subtree ends, the smallest bound of the
// frames with children left, or the best length.
void HeldKarp::OpenBound() noexcept {
  double lb = ub_;
  for (const Frame& g : frames_) {
    if (g.next < g.nch && g.bound < lb) {
      lb = g.bound;
    }
  }
  k_->Bounded(lb, ub_, best_.data());
}

// EliminateSparse is eliminateSparse (exact.go): the edges between cities
// 1..n-1 of the sparse 1-tree, each against the heaviest free tree edge on
// its tree path, walking up from both ends.
bool HeldKarp::EliminateSparse() {
  const int32_t n = n_;
  const double* pi = pi_.data();
  const int8_t* st = state_.data();
  const double L = tree_l_;
  int32_t* depth = depth_.data();
  depth[1] = 0;
  for (int32_t c = 1; c < n - 1; c++) {
    const int32_t v = prim_[c];
    depth[v] = depth[parent_[v]] + 1;
  }
  for (const Edge& e : k_ed_) {
    const int32_t i = e.i;
    const int32_t j = e.j;
    if (st[i * n + j] != kEdgeFree || parent_[i] == j || parent_[j] == i) {
      continue;
    }
    double m = -kInf;
    int32_t a = i;
    int32_t b = j;
    while (a != b) {
      if (depth[a] < depth[b]) {
        std::swap(a, b);
      }
      const int32_t p = parent_[a];
      if (st[p * n + a] == kEdgeFree && key_[a] > m) {
        m = key_[a];
      }
      a = p;
    }
    if (m == -kInf) {
      continue;
    }
    const double w = (e.d + pi[i]) + pi[j];
    if ((L + w) - m > lim_ && !Exclude(i, j)) {
      return false;
    }
  }
  return true;
}

// Eliminate excludes every free edge whose 1-tree with that edge forced in
// costs more than the limit. It returns false if that leaves a city with
// fewer than two edges.
bool HeldKarp::Eliminate() {
  const int32_t n = n_;
  const double* d = d_;
  const double* pi = pi_.data();
  const int8_t* st = state_.data();
  double* mx = mx_.data();
  const double ninf = -kInf;
  const double L = tree_l_;
  if (sparse_) {
    if (!EliminateSparse()) {
      return false;
    }
  } else {
    for (int32_t c = 1; c < n - 1; c++) {
      const int32_t v = prim_[c];
      const int32_t p = parent_[v];
      double ew = ninf;
      if (st[p * n + v] == kEdgeFree) {
        ew = key_[v];
      }
      for (int32_t q = 0; q < c; q++) {
        const int32_t u = prim_[q];
        double m = ew;
        if (u != p) {
          m = mx[p * n + u];
          if (ew > m) {
            m = ew;
          }
        }
        mx[v * n + u] = m;
        mx[u * n + v] = m;
      }
    }
    for (int32_t i = 1; i < n; i++) {
      for (int32_t j = i + 1; j < n; j++) {
        if (st[i * n + j] != kEdgeFree || parent_[i] == j || parent_[j] == i) {
          continue;
        }
        const double m = mx[i * n + j];
        if (m == ninf) {
          continue;
        }
        const double w = (d[i * n + j] + pi[i]) + pi[j];
        if ((L + w) - m > lim_ && !Exclude(i, j)) {
          return false;
        }
      }
    }
  }
  double ws = ninf;
  if (st[s1_] == kEdgeFree) {
    ws = w1_;
  }
  if (st[s2_] == kEdgeFree && w2_ > ws) {
    ws = w2_;
  }
  if (ws == ninf) {
    return true;
  }
  for (int32_t j = 1; j < n; j++) {
    if (j == s1_ || j == s2_ || st[j] != kEdgeFree) {
      continue;
    }
    const double w = (d[j] + pi[0]) + pi[j];
    if ((L + w) - ws > lim_ && !Exclude(0, j)) {
      return false;
    }
  }
  return true;
}

void HeldKarp::Set(int32_t i, int32_t j, int8_t s) {
  const int32_t n = n_;
  state_[i * n + j] = s;
  state_[j * n + i] = s;
  if (i < j) {
    undo_.push_back(i * n + j);
  } else {
    undo_.push_back(j * n + i);
  }
}

void HeldKarp::UndoTo(int32_t mark) noexcept {
  const int32_t n = n_;
  while (static_cast<int32_t>(undo_.size()) > mark) {
    const int32_t e = undo_.back();
    undo_.pop_back();
    const int32_t i = e / n;
    const int32_t j = e % n;
    if (state_[e] == kEdgeIn) {
      in_deg_[i]--;
      in_deg_[j]--;
    } else {
      avail_[i]++;
      avail_[j]++;
    }
    state_[e] = kEdgeFree;
    state_[j * n + i] = kEdgeFree;
  }
}

// Exclude forbids edge (i,j). It returns false if that is infeasible.
bool HeldKarp::Exclude(int32_t i, int32_t j) {
  switch (state_[i * n_ + j]) {
    case kEdgeOut:
      return true;
    case kEdgeIn:
      return false;
    default:
      break;
  }
  Set(i, j, kEdgeOut);
  avail_[i]--;
  avail_[j]--;
  return avail_[i] >= 2 && avail_[j] >= 2;
}

// Include forces edge (i,j) and what follows from it. It returns false if
// that is infeasible.
bool HeldKarp::Include(int32_t i, int32_t j) {
  const int32_t n = n_;
  switch (state_[i * n + j]) {
    case kEdgeIn:
      return true;
    case kEdgeOut:
      return false;
    default:
      break;
  }
  if (in_deg_[i] == 2 || in_deg_[j] == 2) {
    return false;
  }
  Set(i, j, kEdgeIn);
  inc_[2 * i + in_deg_[i]] = j;
  in_deg_[i]++;
  inc_[2 * j + in_deg_[j]] = i;
  in_deg_[j]++;
  const WalkResult wa = Walk(i, j);
  if (wa.cycle) {
    return wa.count == n;
  }
  const WalkResult wb = Walk(j, i);
  // The path through (i,j) now runs from wa.end to wb.end. Unless it visits
  // every city, the edge between its ends would close it into a short cycle.
  // (A path of the one edge (i,j) has ends i and j: nothing to exclude.)
  if (wa.count + wb.count < n && wa.count + wb.count > 2 && !Exclude(wa.end, wb.end)) {
    return false;
  }
  const int32_t ends[2] = {i, j};
  for (const int32_t v : ends) {
    if (in_deg_[v] == 2) {
      for (int32_t u = 0; u < n; u++) {
        if (u != v && state_[v * n + u] == kEdgeFree && !Exclude(v, u)) {
          return false;
        }
      }
    }
  }
  return true;
}

// Walk follows included edges from s, not back to from, to the end of the
// path. It returns the end, the number of cities from s to it, and whether
// the walk came back to from (a cycle; the count is then the cycle's).
HeldKarp::WalkResult HeldKarp::Walk(int32_t s, int32_t from) const noexcept {
  int32_t prev = from;
  int32_t cur = s;
  int32_t cnt = 1;
  for (;;) {
    int32_t nx = -1;
    for (int32_t t = 0; t < in_deg_[cur]; t++) {
      const int32_t y = inc_[2 * cur + t];
      if (y != prev) {
        nx = y;
      }
    }
    if (nx < 0) {
      return {cur, cnt, false};
    }
    if (nx == from) {
      return {cur, cnt + 1, true};
    }
    prev = cur;
    cur = nx;
    cnt++;
    if (cnt > n_) {
      return {cur, cnt, true};
    }
  }
}

// ---------------------------------------------------------------------------
// Solver (GoKernel in kernel.go)

int32_t Solver::Solve(const double* dist, int32_t n, int32_t start, int32_t algorithm, uint64_t seed,
                      int64_t budget, const int32_t* cancel, int32_t* order, double* length, double* lower_bound,
                      uint64_t* nodes, tsp_progress_fn progress, uint64_t handle) {
  if (dist == nullptr || order == nullptr || length == nullptr || lower_bound == nullptr || nodes == nullptr) {
    return TSP_INVALID;
  }
  if (n <= 0 || start < 0 || start >= n) {
    return TSP_INVALID;
  }
  const bool checked = (algorithm & TSP_CHECKED) != 0;
  const bool directed = (algorithm & TSP_DIRECTED) != 0;
  if ((algorithm & ~(TSP_ALGORITHM_MASK | TSP_CHECKED | TSP_DIRECTED)) != 0) {
    return TSP_INVALID;
  }
  algorithm &= TSP_ALGORITHM_MASK;
  if (algorithm < TSP_EXHAUSTIVE || algorithm > TSP_ITERATED) {
    return TSP_INVALID;
  }
  if (algorithm == TSP_ITERATED && budget <= 0 && cancel == nullptr) {
    return TSP_INVALID;  // it would never end
  }
  if (directed && algorithm == TSP_EXACT) {
    return TSP_INVALID;
  }
  if (n > MaxCities(algorithm)) {
    return TSP_TOO_LARGE;
  }
  Context k(dist, n, cancel, directed);
  k.SetProgress(progress, handle);
  const Check check = checked ? Check::kValid : CheckDistances(k, dist, n);
  if (check == Check::kInvalid) {
    return TSP_INVALID;
  }
  if (check == Check::kStopped) {
    algorithm = TSP_NEAREST;  // stopped: the nearest-neighbour tour so far
  }
  // Keep no pointer to k or to dist once this returns, however it returns.
  const ScopeExit unbind([this]() noexcept {
    exhaustive_.Unbind();
    local_.Unbind();
    held_karp_.Unbind();
  });
  double lb = 0;
  int32_t code = TSP_OK;
  switch (algorithm) {
    case TSP_EXHAUSTIVE:
      code = exhaustive_.Run(k, start, order);
      break;
    case TSP_EXACT:
      code = held_karp_.Exact(k, local_, start, order, &lb);
      break;
    case TSP_NEAREST:
      code = k.NearestInto(start, order, used_) ? TSP_OK : TSP_STOPPED;
      break;
    case TSP_TWOOPT:
      code = local_.TwoOpt(k, start, order);
      break;
    case TSP_ITERATED:
      code = local_.Iterated(k, start, seed, budget, order);
      break;
    default:
      break;
  }
  if (check == Check::kStopped) {
    code = TSP_STOPPED;
  }
  const double len = k.Finish(start, order);
  if (algorithm == TSP_EXHAUSTIVE || algorithm == TSP_EXACT) {
    if (code == TSP_OK) {
      lb = len;
    }
  }
  if (lb > len) {  // a bound summed in another order may exceed the length by an ulp
    lb = len;
  }
  *length = len;
  *lower_bound = lb;
  *nodes = k.nodes();
  return code;
}

}  // namespace tsp

// ---------------------------------------------------------------------------
// The C ABI. Every entry point runs its body inside Guard, so no exception
// ever leaves this file.

namespace {

template <typename F>
int32_t Guard(F&& body) noexcept {
#if defined(__cpp_exceptions)
  try {
    return std::forward<F>(body)();
  } catch (const std::bad_alloc&) {
    return TSP_NO_MEMORY;
  } catch (...) {
    return TSP_INTERNAL;
  }
#else
  // Built with -fno-exceptions: the WebAssembly kernel, since WASI has no
  // exception runtime (native/wasm/new.cpp: a failed allocation traps).
  return std::forward<F>(body)();
#endif
}

bool ValidCoordinate(double lat, double lon) noexcept {
  // false for NaN and infinities too
  return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

}  // namespace

extern "C" {

int32_t tsp_abi_version(void) {
  return Guard([]() -> int32_t { return TSP_ABI_VERSION; });
}

int32_t tsp_kernel_id(void) {
  return Guard([]() -> int32_t { return TSP_KERNEL_CPP; });
}

int32_t tsp_noop(int32_t x) {
  return Guard([x]() -> int32_t { return x; });
}

int32_t tsp_haversine(const double* in, double* out) {
  return Guard([in, out]() -> int32_t {
    if (in == nullptr || out == nullptr) {
      return TSP_INVALID;
    }
    *out = tsp::Haversine(in[0], in[1], in[2], in[3], in[4]);
    return TSP_OK;
  });
}

int32_t tsp_matrix(const double* lat, const double* lon, int32_t n, const double* radius_km, double* out) {
  return Guard([=]() -> int32_t {
    if (lat == nullptr || lon == nullptr || radius_km == nullptr || out == nullptr || n <= 0) {
      return TSP_INVALID;
    }
    if (n > TSP_MAX_HEURISTIC) {
      return TSP_TOO_LARGE;
    }
    const double r = *radius_km;
    if (!(r >= 0) || r > std::numeric_limits<double>::max()) {
      return TSP_INVALID;
    }
    for (int32_t i = 0; i < n; i++) {
      if (!ValidCoordinate(lat[i], lon[i])) {
        return TSP_INVALID;
      }
    }
    const auto un = static_cast<std::size_t>(n);
    for (std::size_t i = 0; i < un; i++) {
      out[i * un + i] = 0;
      for (std::size_t j = i + 1; j < un; j++) {
        const double v = tsp::Haversine(lat[i], lon[i], lat[j], lon[j], r);
        out[i * un + j] = v;
        out[j * un + i] = v;
      }
    }
    return TSP_OK;
  });
}

int32_t tsp_solve(const double* dist, int32_t n, int32_t start, int32_t algorithm, uint64_t seed, int64_t budget,
                  const int32_t* cancel, int32_t* order, double* length, double* lower_bound, uint64_t* nodes) {
  return Guard([&]() -> int32_t {
    tsp::Solver solver;
    return solver.Solve(dist, n, start, algorithm, seed, budget, cancel, order, length, lower_bound, nodes);
  });
}

int32_t tsp_solve_progress(const double* dist, int32_t n, int32_t start, int32_t algorithm, uint64_t seed,
                           int64_t budget, const int32_t* cancel, tsp_progress_fn progress, uint64_t handle,
                           int32_t* order, double* length, double* lower_bound, uint64_t* nodes) {
  return Guard([&]() -> int32_t {
    tsp::Solver solver;
    return solver.Solve(dist, n, start, algorithm, seed, budget, cancel, order, length, lower_bound, nodes, progress,
                        handle);
  });
}

int32_t tsp_solver_new(void** out) {
  return Guard([out]() -> int32_t {
    if (out == nullptr) {
      return TSP_INVALID;
    }
    *out = nullptr;
    auto solver = std::make_unique<tsp::Solver>();
    *out = solver.release();
    return TSP_OK;
  });
}

int32_t tsp_solver_solve(void* h, const double* dist, int32_t n, int32_t start, int32_t algorithm,
                         uint64_t seed, int64_t budget, const int32_t* cancel, int32_t* order, double* length,
                         double* lower_bound, uint64_t* nodes) {
  return Guard([&]() -> int32_t {
    if (h == nullptr) {
      return TSP_INVALID;
    }
    return static_cast<tsp::Solver*>(h)->Solve(dist, n, start, algorithm, seed, budget, cancel, order, length,
                                               lower_bound, nodes);
  });
}

int32_t tsp_solver_solve_progress(void* h, const double* dist, int32_t n, int32_t start, int32_t algorithm,
                                  uint64_t seed, int64_t budget, const int32_t* cancel, tsp_progress_fn progress,
                                  uint64_t handle, int32_t* order, double* length, double* lower_bound,
                                  uint64_t* nodes) {
  return Guard([&]() -> int32_t {
    if (h == nullptr) {
      return TSP_INVALID;
    }
    return static_cast<tsp::Solver*>(h)->Solve(dist, n, start, algorithm, seed, budget, cancel, order, length,
                                               lower_bound, nodes, progress, handle);
  });
}

int32_t tsp_solver_free(void* h) {
  return Guard([h]() -> int32_t {
    const std::unique_ptr<tsp::Solver> owned(static_cast<tsp::Solver*>(h));
    return TSP_OK;
  });
}

int32_t tsp_cpp_selftest_throw(int32_t kind) {
  return Guard([kind]() -> int32_t {
    switch (kind) {
      case 0:
        return TSP_OK;
#if defined(__cpp_exceptions)
      case 1:
        throw std::bad_alloc();
      case 2:
        throw std::runtime_error("tsp_cpp_selftest_throw");
      case 3:
        throw kind;  // not derived from std::exception
#endif
      default:
        return TSP_INVALID;
    }
  });
}

int32_t tsp_cpp_selftest_fp(const double* in, double* out) {
  return Guard([in, out]() -> int32_t {
    if (in == nullptr || out == nullptr) {
      return TSP_INVALID;
    }
    *out = in[0] * in[1] + in[2];  // the shape of pi[i] += t * g in Ascent
    return TSP_OK;
  });
}

}  // extern "C"

// ==== Coordinates: tsp_solve_points (ABI 6, issue 21) ====
//
// Follows pointkernel.go, kdtree.go, pointsearch.go and internal/kmath in
// the module root step by step, like the C kernel's section of the same
// name (native/c/tsp.c). Memory through std::vector: a failed allocation
// is std::bad_alloc, which Guard turns into TSP_NO_MEMORY.

namespace tsp {
namespace {
namespace points {

// ---- internal/kmath: Go's math.Sin, Cos, Asin, Acos, operation by operation ----

constexpr double kPi4A = 7.85398125648498535156e-1;
constexpr double kPi4B = 3.77489470793079817668e-8;
constexpr double kPi4C = 2.69515142907905952645e-15;
constexpr double k4OverPi = 0x1.45f306dc9c883p+00;
constexpr double kPi2 = 0x1.921fb54442d18p+00;
constexpr double kPi4 = 0x1.921fb54442d18p-01;
constexpr double kMoreBits = 6.123233995736765886130e-17;
constexpr double kTan3Pio8 = 2.41421356237309504880;
constexpr double kSinC[6] = {1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6,
                             -1.98412698295895385996e-4, 8.33333333332211858878e-3,  -1.66666666666666307295e-1};
constexpr double kCosC[6] = {-1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7,
                             2.48015872888517045348e-5,   -1.38888888888730564116e-3, 4.16666666666665929218e-2};

uint64_t Reduce(double x, double* z) noexcept {
  // Signed conversions: the same values for 0 <= x < 2^29 (kmath.MaxTrig),
  // and far cheaper in WebAssembly than the unsigned ones.
  int64_t j = static_cast<int64_t>(x * k4OverPi);
  double y = static_cast<double>(j);
  if (j & 1) {
    j++;
    y++;
  }
  j &= 7;
  *z = ((x - y * kPi4A) - y * kPi4B) - y * kPi4C;
  return static_cast<uint64_t>(j);
}

double PolySin(double z, double zz) noexcept {
  double p = ((((kSinC[0] * zz) + kSinC[1]) * zz + kSinC[2]) * zz + kSinC[3]) * zz;
  p = (p + kSinC[4]) * zz + kSinC[5];
  return z + (z * zz) * p;
}

double PolyCos(double zz) noexcept {
  double p = ((((kCosC[0] * zz) + kCosC[1]) * zz + kCosC[2]) * zz + kCosC[3]) * zz;
  p = (p + kCosC[4]) * zz + kCosC[5];
  return (1.0 - 0.5 * zz) + (zz * zz) * p;
}

TSP_ALWAYS_INLINE double Sin(double x) noexcept {
  if (x == 0 || x != x) return x;
  bool sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  double z;
  uint64_t j = Reduce(x, &z);
  if (j > 3) {
    sign = !sign;
    j -= 4;
  }
  const double zz = z * z;
  const double y = (j == 1 || j == 2) ? PolyCos(zz) : PolySin(z, zz);
  return sign ? -y : y;
}

double Cos(double x) noexcept {
  if (x != x) return x;
  bool sign = false;
  if (x < 0) x = -x;
  double z;
  uint64_t j = Reduce(x, &z);
  if (j > 3) {
    j -= 4;
    sign = !sign;
  }
  if (j > 1) sign = !sign;
  const double zz = z * z;
  const double y = (j == 1 || j == 2) ? PolySin(z, zz) : PolyCos(zz);
  return sign ? -y : y;
}

TSP_ALWAYS_INLINE double Xatan(double x) noexcept {
  constexpr double P0 = -8.750608600031904122785e-01, P1 = -1.615753718733365076637e+01,
                   P2 = -7.500855792314704667340e+01, P3 = -1.228866684490136173410e+02,
                   P4 = -6.485021904942025371773e+01, Q0 = +2.485846490142306297962e+01,
                   Q1 = +1.650270098316988542046e+02, Q2 = +4.328810604912902668951e+02,
                   Q3 = +4.853903996359136964868e+02, Q4 = +1.945506571482613964425e+02;
  double z = x * x;
  double num = (P0 * z + P1) * z;
  num = (num + P2) * z + P3;
  num = num * z + P4;
  double den = (z + Q0) * z;
  den = (den + Q1) * z + Q2;
  den = (den * z + Q3) * z + Q4;
  z = (z * num) / den;
  return x * z + x;
}

TSP_ALWAYS_INLINE double Satan(double x) noexcept {
  if (x <= 0.66) return Xatan(x);
  if (x > kTan3Pio8) return (kPi2 - Xatan(1 / x)) + kMoreBits;
  return (kPi4 + Xatan((x - 1) / (x + 1))) + 0.5 * kMoreBits;
}

TSP_ALWAYS_INLINE double Asin(double x) noexcept {
  if (x == 0) return x;
  bool sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  if (!(x <= 1)) return std::numeric_limits<double>::quiet_NaN();
  double temp = std::sqrt(1 - x * x);
  if (x > 0.7) {
    temp = kPi2 - Satan(temp / x);
  } else {
    temp = Satan(x / temp);
  }
  return sign ? -temp : temp;
}

double Acos(double x) noexcept { return kPi2 - Asin(x); }

// ---- pointSet (pointkernel.go) ----

constexpr double kMaxPlanar = 1e150;
constexpr double kMaxGeo = 1e4;
constexpr double kGeoPi = 3.141592;
constexpr double kGeoRRR = 6378.388;

double GeoRad(double v) noexcept {
  const double deg = std::trunc(v);
  const double m = v - deg;
  return kGeoPi * (deg + 5.0 * m / 3.0) / 180.0;
}

class PointSet {
 public:
  // newPointSet: false on invalid input.
  bool Init(const double* x, const double* y, int32_t n, int32_t kind, const double* radius) {
    kind_ = kind;
    n_ = n;
    double lim = (0x1p1014 / static_cast<double>(n)) / 4;
    if (kind < TSP_POINTS_HAVERSINE || kind > TSP_POINTS_GEO) return false;
    if (kind == TSP_POINTS_HAVERSINE && (radius == nullptr || !(*radius >= 0) || *radius > lim)) return false;
    const auto un = static_cast<std::size_t>(n);
    v_.assign(3 * un, 0.0);
    if (kind != TSP_POINTS_HAVERSINE && kind != TSP_POINTS_GEO && lim > kMaxPlanar) lim = kMaxPlanar;
    for (int32_t i = 0; i < n; i++) {
      const double u = x[i], v = y[i];
      bool ok;
      if (kind == TSP_POINTS_HAVERSINE) {
        ok = u >= -90 && u <= 90 && v >= -180 && v <= 180;
      } else if (kind == TSP_POINTS_GEO) {
        ok = std::fabs(u) <= kMaxGeo && std::fabs(v) <= kMaxGeo;
      } else {
        ok = std::fabs(u) <= lim && std::fabs(v) <= lim;
      }
      if (!ok) return false;
      double* w = &v_[3 * static_cast<std::size_t>(i)];
      if (kind == TSP_POINTS_HAVERSINE) {
        w[0] = u;
        w[1] = v;
        w[2] = Cos(u * kRad);
      } else if (kind == TSP_POINTS_GEO) {
        w[0] = GeoRad(u);
        w[1] = GeoRad(v);
      } else {
        w[0] = u;
        w[1] = v;
      }
    }
    if (kind == TSP_POINTS_HAVERSINE) r_ = *radius;
    return true;
  }

  int32_t kind() const noexcept { return kind_; }
  int32_t n() const noexcept { return n_; }
  double r() const noexcept { return r_; }
  double a(int32_t i) const noexcept { return v_[3 * static_cast<std::size_t>(i)]; }
  double b(int32_t i) const noexcept { return v_[3 * static_cast<std::size_t>(i) + 1]; }

  double Planar(double xd, double yd) const noexcept {
    if (kind_ == TSP_POINTS_EUC_2D) return std::floor(std::sqrt(xd * xd + yd * yd) + 0.5);
    if (kind_ == TSP_POINTS_CEIL_2D) return std::ceil(std::sqrt(xd * xd + yd * yd));
    const double r = std::sqrt((xd * xd + yd * yd) / 10.0);  // ATT
    const double t = std::floor(r + 0.5);
    return t < r ? t + 1 : t;
  }

  double Dist(int32_t i, int32_t j) const noexcept {
    if (i == j) return 0;
    const double* vi = v_.data() + 3 * static_cast<std::size_t>(i);
    const double* vj = v_.data() + 3 * static_cast<std::size_t>(j);
    if (kind_ == TSP_POINTS_HAVERSINE) {
      const double ci = vi[2], cj = vj[2];  // the last value first: one bounds check a city in WebAssembly
      const double s1 = Sin((vj[0] - vi[0]) * kRad / 2);
      const double s2 = Sin((vj[1] - vi[1]) * kRad / 2);
      double h = s1 * s1 + (ci * cj) * (s2 * s2);
      if (h > 1) h = 1;
      return 2 * r_ * Asin(std::sqrt(h));
    }
    if (kind_ == TSP_POINTS_GEO) {
      const double q1 = Cos(vi[1] - vj[1]);
      const double q2 = Cos(vi[0] - vj[0]);
      const double q3 = Cos(vi[0] + vj[0]);
      double a = 0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3);
      if (a < -1) a = -1;
      if (a > 1) a = 1;
      return std::trunc(kGeoRRR * Acos(a) + 1.0);
    }
    return Planar(vi[0] - vj[0], vi[1] - vj[1]);
  }

  double Dmax() const noexcept {
    if (kind_ == TSP_POINTS_HAVERSINE) return 4 * r_;
    if (kind_ == TSP_POINTS_GEO) return 4 * kGeoRRR;
    double x0 = a(0), x1 = a(0), y0 = b(0), y1 = b(0);
    for (int32_t i = 1; i < n_; i++) {
      if (a(i) < x0) x0 = a(i);
      if (a(i) > x1) x1 = a(i);
      if (b(i) < y0) y0 = b(i);
      if (b(i) > y1) y1 = b(i);
    }
    return Planar(x1 - x0, y1 - y0);
  }

  // Permuted: p's points in the order perm.
  PointSet Permuted(const std::vector<int32_t>& perm) const {
    PointSet q;
    q.kind_ = kind_;
    q.n_ = n_;
    q.r_ = r_;
    const auto un = static_cast<std::size_t>(n_);
    q.v_.resize(3 * un);
    for (std::size_t k = 0; k < un; k++) {
      const auto c = 3 * static_cast<std::size_t>(perm[k]);
      q.v_[3 * k] = v_[c];
      q.v_[3 * k + 1] = v_[c + 1];
      q.v_[3 * k + 2] = v_[c + 2];
    }
    return q;
  }

  double CycleLength(const int32_t* order) const noexcept {
    double s = 0.0;
    for (int32_t i = 1; i < n_; i++) s += Dist(order[i - 1], order[i]);
    return s + Dist(order[n_ - 1], order[0]);
  }

 private:
  int32_t kind_ = 0, n_ = 0;
  // v_[3i], v_[3i+1], v_[3i+2]: a, b and, for haversine, the cosine of the
  // latitude of city i (pset in tsp.c: in WebAssembly one bounds check a city)
  std::vector<double> v_;
  double r_ = 0;
};

// ---- kdTree (kdtree.go) ----

constexpr int32_t kKdLeaf = 8;
// kKdStack: the most pending subtrees of a search, one a level (KD_STACK in
// tsp.c; a tree of TSP_MAX_POINTS points in leaves of kKdLeaf has 22 levels).
constexpr int32_t kKdStack = 64;
constexpr int32_t kKdPoll = 4096;  // kdPoll

double Gap(double v, double lo, double hi) noexcept {
  if (v < lo) return lo - v;
  if (v > hi) return v - hi;
  return 0;
}

class KdTree {
 public:
  // Builds the tree over p and numbers the points in leaf order (orig[k]
  // is the input index of point k, inv its inverse: kdTree.renumber); the
  // queries then run on SetPoints' set, p in that order.
  // It polls k's cancel flag every kKdPoll points and at every node of
  // kKdPoll points or more (kdtree.go): stopped() then, and nothing else.
  KdTree(const PointSet& p, std::vector<int32_t>& orig, std::vector<int32_t>& inv, const Context& k)
      : p_(&p), orig_(orig), inv_(inv), k_(&k) {
    const int32_t n = p.n();
    dim_ = (p.kind() == TSP_POINTS_HAVERSINE || p.kind() == TSP_POINTS_GEO) ? 3 : 2;
    int32_t depth = 0;
    for (int32_t s = n; s > kKdLeaf; s = (s + 1) / 2) depth++;
    const auto nodes = static_cast<std::size_t>(2) << depth;
    const auto un = static_cast<std::size_t>(n);
    u_.resize(un * dim_);
    idx_.resize(un);
    nl_.resize(nodes);
    nr_.resize(nodes);
    cnt_.resize(nodes);
    box_.resize(nodes * 2 * dim_);
    leaf_of_.resize(un);
    used_.assign(un, 0);
    for (int32_t i = 0; i < n; i++) {
      if ((i & (kKdPoll - 1)) == 0 && k.StopRequested()) {
        stopped_ = true;
        return;
      }
      double* u = &u_[static_cast<std::size_t>(i) * dim_];
      if (p.kind() == TSP_POINTS_HAVERSINE) {
        const double phi = p.a(i) * kRad, lam = p.b(i) * kRad;
        u[0] = Cos(phi) * Cos(lam);
        u[1] = Cos(phi) * Sin(lam);
        u[2] = Sin(phi);
      } else if (p.kind() == TSP_POINTS_GEO) {
        u[0] = Cos(p.a(i)) * Cos(p.b(i));
        u[1] = Cos(p.a(i)) * Sin(p.b(i));
        u[2] = Sin(p.a(i));
      } else {
        u[0] = p.a(i);
        u[1] = p.b(i);
      }
      idx_[i] = i;
    }
    if (!Build(1, 0, n)) {
      stopped_ = true;
      return;
    }
    orig_ = idx_;
    inv_.resize(un);
    std::vector<double> u(un * dim_);
    std::vector<int32_t> leaf(un);
    for (std::size_t k = 0; k < un; k++) {
      const int32_t c = orig_[k];
      inv_[c] = static_cast<int32_t>(k);
      for (int32_t j = 0; j < dim_; j++) u[k * dim_ + j] = u_[static_cast<std::size_t>(c) * dim_ + j];
      leaf[k] = leaf_of_[c];
      idx_[k] = static_cast<int32_t>(k);
    }
    u_.swap(u);
    leaf_of_.swap(leaf);
  }

  bool stopped() const noexcept { return stopped_; }
  void SetPoints(const PointSet& p) noexcept { p_ = &p; }
  int32_t Inv(int32_t c) const noexcept { return inv_[c]; }

  bool used(int32_t c) const noexcept { return used_[c] != 0; }

  int32_t Nearest(int32_t q) noexcept {
    q_ = q;
    best_ = -1;
    best_d_ = 0;
    SearchNearest(1);
    return best_;
  }

  void Visit(int32_t c) noexcept {
    used_[c] = 1;
    for (int32_t node = leaf_of_[c]; node >= 1; node >>= 1) cnt_[node]--;
  }

  void Neighbours(int32_t q, int32_t* lst, double* ld, int32_t kn) noexcept {
    q_ = q;
    lst_ = lst;
    ld_ = ld;
    kn_ = kn;
    found_ = 0;
    SearchK(1);
  }

 private:
  double U(int32_t i, int32_t k) const noexcept { return u_[static_cast<std::size_t>(i) * dim_ + k]; }

  void Select(int32_t lo, int32_t hi, int32_t m, int32_t ax) noexcept {
    while (lo < hi) {
      const double x = U(idx_[m], ax);
      int32_t i = lo, j = hi;
      while (i <= j) {
        while (U(idx_[i], ax) < x) i++;
        while (x < U(idx_[j], ax)) j--;
        if (i <= j) {
          std::swap(idx_[i], idx_[j]);
          i++;
          j--;
        }
      }
      if (j < m) lo = i;
      if (m < i) hi = j;
    }
  }

  bool Build(int32_t node, int32_t l, int32_t r) noexcept {
    nl_[node] = l;
    nr_[node] = r;
    cnt_[node] = r - l;
    double* b = &box_[static_cast<std::size_t>(node) * 2 * dim_];
    // The box in locals, one loop for each dimension: the same values as
    // kdTree.build's, without a store a point (slow in WebAssembly).
    const double* u = u_.data();
    const int32_t* idx = idx_.data();
    if (dim_ == 2) {
      const double* v = u + static_cast<std::size_t>(idx[l]) * 2;
      double x0 = v[0], x1 = v[0], y0 = v[1], y1 = v[1];
      for (int32_t i = l + 1; i < r; i++) {
        v = u + static_cast<std::size_t>(idx[i]) * 2;
        if (v[0] < x0) x0 = v[0];
        if (v[0] > x1) x1 = v[0];
        if (v[1] < y0) y0 = v[1];
        if (v[1] > y1) y1 = v[1];
      }
      b[0] = x0, b[1] = y0, b[2] = x1, b[3] = y1;
    } else {
      const double* v = u + static_cast<std::size_t>(idx[l]) * 3;
      double x0 = v[0], x1 = v[0], y0 = v[1], y1 = v[1], z0 = v[2], z1 = v[2];
      for (int32_t i = l + 1; i < r; i++) {
        v = u + static_cast<std::size_t>(idx[i]) * 3;
        if (v[0] < x0) x0 = v[0];
        if (v[0] > x1) x1 = v[0];
        if (v[1] < y0) y0 = v[1];
        if (v[1] > y1) y1 = v[1];
        if (v[2] < z0) z0 = v[2];
        if (v[2] > z1) z1 = v[2];
      }
      b[0] = x0, b[1] = y0, b[2] = z0, b[3] = x1, b[4] = y1, b[5] = z1;
    }
    if (r - l <= kKdLeaf) {
      for (int32_t i = l; i < r; i++) leaf_of_[idx_[i]] = node;
      return true;
    }
    if (r - l >= kKdPoll && k_->StopRequested()) return false;
    int32_t ax = 0;
    for (int32_t k = 1; k < dim_; k++) {
      if (b[dim_ + k] - b[k] > b[dim_ + ax] - b[ax]) ax = k;
    }
    const int32_t m = (l + r) / 2;
    Select(l, r - 1, m, ax);
    return Build(2 * node, l, m) && Build(2 * node + 1, m, r);
  }

  // Bound: node's box against the query point, whose coordinates q the
  // search reads once; the box's values into locals, the last first (in
  // WebAssembly one bounds check covers them all; kd_bound in tsp.c).
  TSP_ALWAYS_INLINE double Bound(int32_t node, const double* q) const noexcept {
    const double* b = &box_[static_cast<std::size_t>(node) * 2 * dim_];
    if (dim_ == 2) {
      const double b3 = b[3], b2 = b[2], b1 = b[1], b0 = b[0];
      return p_->Planar(Gap(q[0], b0, b2), Gap(q[1], b1, b3));
    }
    const double b5 = b[5], b4 = b[4], b3 = b[3], b2 = b[2], b1 = b[1], b0 = b[0];
    const double g0 = Gap(q[0], b0, b3), g1 = Gap(q[1], b1, b4), g2 = Gap(q[2], b2, b5);
    double s = 0.0;
    s += g0 * g0;
    s += g1 * g1;
    s += g2 * g2;
    const double c = std::sqrt(s) * (1 - 1e-12) - 4e-15;
    if (c <= 0) return 0;
    const double a = c;  // the chord, never longer than the arc it spans
    const double v = p_->kind() == TSP_POINTS_GEO ? kGeoRRR * (a - 1e-7) - 1e-3 : p_->r() * (a * (1 - 1e-12) - 1e-7);
    return v > 0 ? v : 0;
  }

  // PushFar: of the children l and r, bounds bl and br, keeps the nearer in
  // l, bl and pushes the farther (the right one on a tie) with its bound.
  static TSP_ALWAYS_INLINE void PushFar(int32_t& l, int32_t& r, double& bl, double& br, int32_t* sn, double* sb,
                                        int32_t& sp) noexcept {
    if (br < bl) {
      std::swap(l, r);
      std::swap(bl, br);
    }
    sn[sp] = r;
    sb[sp] = br;
    sp++;
  }

  // SearchNearest is searchNearest (kdtree.go) without recursion, as
  // kd_search_nearest in tsp.c: the nearer child first, the other kept on
  // a stack with its bound and taken when the nearer one's subtree is
  // done, if the bound still admits it (the recursion's order and tests).
  // Query: the query point's coordinates into q, the last first.
  void Query(double* q) const noexcept {
    const double* qu = &u_[static_cast<std::size_t>(q_) * dim_];
    if (dim_ == 3) q[2] = qu[2];
    q[1] = qu[1];
    q[0] = qu[0];
  }

  void SearchNearest(int32_t node) noexcept {
    int32_t sn[kKdStack];
    double sb[kKdStack];
    int32_t sp = 0;
    double q[3] = {0, 0, 0};
    Query(q);
    for (;;) {
      if (cnt_[node] > 0) {
        const int32_t lo = nl_[node], hi = nr_[node];
        if (hi - lo <= kKdLeaf) {
          // The best in locals while scanning the leaf (stores to members
          // would make every load of the arrays again).
          const int32_t* idx = idx_.data();
          const int32_t* orig = orig_.data();
          const uint8_t* used = used_.data();
          const PointSet* p = p_;
          const int32_t qc = q_;
          int32_t best = best_;
          double best_d = best_d_;
          for (int32_t i = lo; i < hi; i++) {
            const int32_t c = idx[i];
            if (used[c]) continue;
            const double d = p->Dist(qc, c);
            if (best < 0 || d < best_d || (d == best_d && orig[c] < orig[best])) {
              best = c;
              best_d = d;
            }
          }
          best_ = best;
          best_d_ = best_d;
        } else {
          int32_t l = 2 * node, r = 2 * node + 1;
          double bl = kInf, br = kInf;
          if (cnt_[l] > 0) bl = Bound(l, q);
          if (cnt_[r] > 0) br = Bound(r, q);
          PushFar(l, r, bl, br, sn, sb, sp);
          if (cnt_[l] > 0 && (best_ < 0 || bl <= best_d_)) {
            node = l;
            continue;
          }
        }
      }
      for (;;) {  // the next pending subtree whose bound still admits it
        if (sp == 0) return;
        sp--;
        if (cnt_[sn[sp]] > 0 && (best_ < 0 || sb[sp] <= best_d_)) break;
      }
      node = sn[sp];
    }
  }

  void Insert(int32_t c, double d) noexcept {
    const int32_t kn = kn_;
    if (found_ == kn && (d > ld_[kn - 1] || (d == ld_[kn - 1] && orig_[c] > orig_[lst_[kn - 1]]))) return;
    int32_t p = found_;
    if (found_ < kn) {
      found_++;
    } else {
      p = kn - 1;
    }
    while (p > 0 && (ld_[p - 1] > d || (ld_[p - 1] == d && orig_[lst_[p - 1]] > orig_[c]))) {
      lst_[p] = lst_[p - 1];
      ld_[p] = ld_[p - 1];
      p--;
    }
    lst_[p] = c;
    ld_[p] = d;
  }

  // SearchK is searchK (kdtree.go) without recursion, as SearchNearest.
  void SearchK(int32_t node) noexcept {
    int32_t sn[kKdStack];
    double sb[kKdStack];
    int32_t sp = 0;
    const int32_t kn = kn_;
    double q[3] = {0, 0, 0};
    Query(q);
    for (;;) {
      if (nr_[node] - nl_[node] <= kKdLeaf) {
        for (int32_t i = nl_[node]; i < nr_[node]; i++) {
          const int32_t c = idx_[i];
          if (c != q_) Insert(c, p_->Dist(q_, c));
        }
      } else {
        int32_t l = 2 * node, r = 2 * node + 1;
        double bl = Bound(l, q), br = Bound(r, q);
        PushFar(l, r, bl, br, sn, sb, sp);
        if (found_ < kn || bl <= ld_[kn - 1]) {
          node = l;
          continue;
        }
      }
      for (;;) {
        if (sp == 0) return;
        sp--;
        if (found_ < kn || sb[sp] <= ld_[kn - 1]) break;
      }
      node = sn[sp];
    }
  }

  const PointSet* p_;
  std::vector<int32_t>& orig_;
  std::vector<int32_t>& inv_;
  const Context* k_;
  bool stopped_ = false;
  int32_t dim_ = 2;
  std::vector<double> u_, box_;
  std::vector<int32_t> idx_, nl_, nr_, cnt_, leaf_of_;
  std::vector<uint8_t> used_;
  int32_t q_ = 0, best_ = -1, found_ = 0, kn_ = 0;
  double best_d_ = 0;
  int32_t* lst_ = nullptr;
  double* ld_ = nullptr;
};

// ---- pointSearch (pointsearch.go), with the tour helpers of localsearch.go ----

class PointSearch {
 public:
  PointSearch(const PointSet& p, Context& ctx)
      : p_(p), ctx_(ctx), n_(p.n()), t_(static_cast<std::size_t>(p.n())), pos_(static_cast<std::size_t>(p.n())) {}

  std::vector<int32_t>& tour() noexcept { return t_; }
  uint64_t moves() const noexcept { return moves_; }

  bool NearestInto(int32_t start, KdTree& tr) noexcept {
    t_[0] = start;
    tr.Visit(start);
    int32_t cur = start;
    for (int32_t i = 1; i < n_; i++) {
      if ((i & 63) == 0 && ctx_.StopRequested()) {
        for (int32_t j = 0; j < n_; j++) {  // in the input's index order
          if (!tr.used(tr.Inv(j))) t_[i++] = tr.Inv(j);
        }
        return false;
      }
      cur = tr.Nearest(cur);
      t_[i] = cur;
      tr.Visit(cur);
    }
    return true;
  }

  bool Neighbours(KdTree& tr) {
    kn_ = n_ - 1 < kNeighbourK ? n_ - 1 : kNeighbourK;
    nb_.resize(static_cast<std::size_t>(n_) * kn_ + 1);
    nbd_.resize(static_cast<std::size_t>(n_) * kn_ + 1);
    for (int32_t i = 0; i < n_ && kn_ > 0; i++) {
      if ((i & 255) == 0 && ctx_.StopRequested()) return false;
      tr.Neighbours(i, &nb_[static_cast<std::size_t>(i) * kn_], &nbd_[static_cast<std::size_t>(i) * kn_], kn_);
    }
    eps_ = 1e-9 * p_.Dmax();
    queue_.resize(static_cast<std::size_t>(n_));
    in_q_.assign(static_cast<std::size_t>(n_), 0);
    tmp_.resize(static_cast<std::size_t>(n_));
    return true;
  }

  bool Run() {
    for (int32_t i = 0; i < n_; i++) pos_[t_[i]] = i;
    if (n_ < 4) return true;
    uint32_t polls = 0;
    for (;;) {
      head_ = 0;
      count_ = 0;
      for (int32_t i = 0; i < n_; i++) in_q_[i] = 0;
      for (int32_t i = 0; i < n_; i++) Push(t_[i]);
      const uint64_t before = moves_;
      if (!Drain(&polls)) return false;
      if (moves_ == before) return true;
    }
  }

  int32_t Kicks(uint64_t seed, int64_t budget) {
    double best_len = p_.CycleLength(t_.data());
    double cur = best_len;
    uint64_t rng = seed;
    int32_t max_len = (n_ - 2) / 2;
    if (max_len > 100) max_len = 100;  // kickMaxLen
    uint32_t polls = 0;
    journal_on_ = true;
    int32_t code = TSP_OK;
    int32_t step = n_ / kKickReport, since = 0;  // progress: at most a call every step kicks
    if (step < 1) step = 1;
    for (int64_t kick = 0; budget <= 0 || kick < budget; kick++) {
      if (ctx_.StopRequested()) {
        code = TSP_STOPPED;
        break;
      }
      const int32_t q = Below(&rng, n_);
      const int32_t l1 = 1 + Below(&rng, max_len);
      const int32_t l2 = 1 + Below(&rng, max_len);
      cur += DoubleBridge(q, l1, l2);
      gain_ = 0;
      if (!Drain(&polls)) {
        Revert();
        code = TSP_STOPPED;
        break;
      }
      cur += gain_;
      since++;
      const double diff = cur - best_len;
      if (diff <= 0 && diff >= -kMaxFloat64) {
        journal_.clear();
        best_len = cur;
        if (diff < 0 && ctx_.HasProgress() && since >= step) {
          since = 0;
          Report(cur);
        }
      } else {
        Revert();
        cur = best_len;
      }
    }
    journal_on_ = false;
    return code;
  }

 private:
  static int32_t Below(uint64_t* s, int32_t m) noexcept {
    *s += 0x9e3779b97f4a7c15ULL;
    uint64_t z = *s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<int32_t>((z ^ (z >> 31)) % static_cast<uint64_t>(m));
  }

  int32_t Succ(int32_t c) const noexcept {
    int32_t p = pos_[c] + 1;
    if (p == n_) p = 0;
    return t_[p];
  }
  int32_t Pred(int32_t c) const noexcept {
    int32_t p = pos_[c] - 1;
    if (p < 0) p = n_ - 1;
    return t_[p];
  }
  int32_t At(int32_t p, int32_t i) const noexcept {
    i += p;
    if (i >= n_) i -= n_;
    return t_[i];
  }
  void Push(int32_t c) noexcept {
    if (in_q_[c]) return;
    in_q_[c] = 1;
    int32_t i = head_ + count_;
    if (i >= n_) i -= n_;
    queue_[i] = c;
    count_++;
  }
  int32_t Pop() noexcept {
    const int32_t c = queue_[head_];
    head_++;
    if (head_ == n_) head_ = 0;
    count_--;
    in_q_[c] = 0;
    return c;
  }
  void Set(int32_t i, int32_t c) {
    if (journal_on_) {
      journal_.push_back(i);
      journal_.push_back(t_[i]);
    }
    t_[i] = c;
    pos_[c] = i;
  }
  void Revert() noexcept {
    for (std::size_t k = journal_.size(); k >= 2; k -= 2) {
      const int32_t i = journal_[k - 2], c = journal_[k - 1];
      t_[i] = c;
      pos_[c] = i;
    }
    journal_.clear();
  }
  bool InSegment(int32_t c, int32_t s1, int32_t sl) const noexcept {
    int32_t off = pos_[c] - pos_[s1];
    if (off < 0) off += n_;
    return off < sl;
  }

  void Reverse(int32_t a, int32_t b) {
    int32_t i = pos_[a], j = pos_[b];
    int32_t l = j - i;
    if (l < 0) l += n_;
    l++;
    if (2 * l > n_) {
      const int32_t ni = j + 1, nj = i - 1;
      i = ni;
      j = nj;
      if (i == n_) i = 0;
      if (j < 0) j = n_ - 1;
      l = n_ - l;
    }
    for (int32_t s = 0; s < l / 2; s++) {
      const int32_t ci = t_[i], cj = t_[j];
      if (journal_on_) {
        journal_.push_back(i);
        journal_.push_back(ci);
        journal_.push_back(j);
        journal_.push_back(cj);
      }
      t_[i] = cj;
      t_[j] = ci;
      pos_[cj] = i;
      pos_[ci] = j;
      i++;
      if (i == n_) i = 0;
      j--;
      if (j < 0) j = n_ - 1;
    }
  }

  int32_t Mod(int32_t i) const noexcept { return ((i % n_) + n_) % n_; }

  void MoveSegment(int32_t s1, int32_t s2, int32_t sl, int32_t c, int32_t e, int32_t s) {
    int32_t seg[3] = {s1, 0, 0};
    if (sl > 1) seg[1] = Succ(s1);
    if (sl > 2) seg[2] = Succ(seg[1]);
    int32_t u = c, first = s;
    if (Succ(c) != e) {
      u = e;
      first = (s == s1) ? s2 : s1;
    }
    const int32_t ps1 = pos_[s1], pu = pos_[u];
    const int32_t fwd = Mod(pu - ps1 - sl + 1);
    const int32_t bwd = n_ - sl - fwd;
    int32_t base;
    if (fwd <= bwd) {
      for (int32_t i = 0; i < fwd; i++) Set(Mod(ps1 + i), t_[Mod(ps1 + sl + i)]);
      base = Mod(ps1 + fwd);
    } else {
      for (int32_t i = bwd - 1; i >= 0; i--) Set(Mod(pu + 1 + i + sl), t_[Mod(pu + 1 + i)]);
      base = Mod(pu + 1);
    }
    for (int32_t q = 0; q < sl; q++) {
      const int32_t city = first == s1 ? seg[q] : seg[sl - 1 - q];
      Set(Mod(base + q), city);
    }
  }

  bool TwoOptMove(int32_t a) {
    const int32_t* nb = &nb_[static_cast<std::size_t>(a) * kn_];
    const double* nbd = &nbd_[static_cast<std::size_t>(a) * kn_];
    double best = -eps_;
    int32_t bc = -1, be = -1, bdir = 0;
    for (int32_t dir = 0; dir < 2; dir++) {
      const int32_t b = dir == 0 ? Succ(a) : Pred(a);
      const double dab = p_.Dist(a, b);
      for (int32_t r = 0; r < kn_; r++) {
        const int32_t c = nb[r];
        const double dac = nbd[r];  // p_.Dist(a, c)
        if (dac >= dab) break;
        const int32_t e = dir == 0 ? Succ(c) : Pred(c);
        if (c == b || e == a) continue;
        const double delta = ((dac + p_.Dist(b, e)) - dab) - p_.Dist(c, e);
        if (delta < best && delta >= -kMaxFloat64) {
          best = delta;
          bc = c;
          be = e;
          bdir = dir;
        }
      }
    }
    if (bc < 0) return false;
    int32_t b;
    if (bdir == 0) {
      b = Succ(a);
      Reverse(b, bc);
    } else {
      b = Pred(a);
      Reverse(a, be);
    }
    gain_ += best;
    Push(a);
    Push(b);
    Push(bc);
    Push(be);
    return true;
  }

  bool OrOptMove(int32_t a) {
    for (int32_t q = 0; q < 5; q++) {
      const int32_t sl = (q + 3) / 2;
      if (n_ < sl + 3) return false;
      int32_t s1 = a, s2 = a;
      if (q % 2 == 0) {
        for (int32_t i = 1; i < sl; i++) s2 = Succ(s2);
      } else {
        for (int32_t i = 1; i < sl; i++) s1 = Pred(s1);
      }
      const int32_t pr = Pred(s1);
      const int32_t x = Succ(s2);
      const double gain = (p_.Dist(pr, s1) + p_.Dist(s2, x)) - p_.Dist(pr, x);
      if (!(gain > eps_ && gain <= kMaxFloat64)) continue;
      for (int32_t end = 0; end < 2; end++) {
        const int32_t sv = end == 0 ? s1 : s2, o = end == 0 ? s2 : s1;
        for (int32_t r = 0; r < kn_; r++) {
          const int32_t c = nb_[static_cast<std::size_t>(sv) * kn_ + r];
          const double dsc = nbd_[static_cast<std::size_t>(sv) * kn_ + r];  // p_.Dist(sv, c)
          if (dsc >= gain) break;
          if (InSegment(c, s1, sl)) continue;
          for (int32_t side = 0; side < 2; side++) {
            const int32_t e = side == 0 ? Succ(c) : Pred(c);
            if (InSegment(e, s1, sl)) continue;
            const double delta = ((dsc + p_.Dist(o, e)) - p_.Dist(c, e)) - gain;
            if (delta < -eps_ && delta >= -kMaxFloat64) {
              gain_ += delta;
              MoveSegment(s1, s2, sl, c, e, sv);
              Push(pr);
              Push(x);
              Push(s1);
              Push(s2);
              Push(c);
              Push(e);
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  bool Drain(uint32_t* polls) {
    while (count_ > 0) {
      (*polls)++;
      if ((*polls & 255) == 0 && ctx_.StopRequested()) return false;
      const int32_t a = Pop();
      if (TwoOptMove(a) || OrOptMove(a)) {
        moves_++;
        Push(a);
      }
      if (ctx_.HasProgress() && !journal_on_) {
        // the first local search: a call every n/kRunReport cities taken
        if (kRunReport * ++pops_ >= static_cast<uint64_t>(n_) && moves_ != last_moves_) {
          pops_ = 0;
          Report(base_ + gain_);
        }
      }
    }
    return true;
  }

  double DoubleBridge(int32_t q, int32_t l1, int32_t l2) {
    const int32_t a = At(q, 0), b1 = At(q, 1), bl = At(q, l1);
    const int32_t c1 = At(q, l1 + 1), cl = At(q, l1 + l2), dd = At(q, l1 + l2 + 1);
    const double delta = ((p_.Dist(a, c1) + p_.Dist(cl, b1)) + p_.Dist(bl, dd)) -
                         ((p_.Dist(a, b1) + p_.Dist(bl, c1)) + p_.Dist(cl, dd));
    for (int32_t i = 0; i < l1 + l2; i++) tmp_[i] = At(q, 1 + i);
    int32_t w = q + 1;
    const int32_t ranges[2][2] = {{l1, l1 + l2}, {0, l1}};
    for (int32_t r = 0; r < 2; r++) {
      for (int32_t j = ranges[r][0]; j < ranges[r][1]; j++) {
        if (w >= n_) w -= n_;
        Set(w, tmp_[j]);
        w++;
      }
    }
    Push(a);
    Push(b1);
    Push(bl);
    Push(c1);
    Push(cl);
    Push(dd);
    return delta;
  }

  const PointSet& p_;
  Context& ctx_;
  int32_t n_;
  std::vector<int32_t> t_, pos_, queue_, tmp_, nb_, journal_;
  std::vector<double> nbd_;  // nbd_[i*kn+r]: the distance from i to nb_[i*kn+r], as the k-d tree computed it
  std::vector<uint8_t> in_q_;
  int32_t kn_ = 0, head_ = 0, count_ = 0;
  double eps_ = 0, gain_ = 0;
  uint64_t moves_ = 0;
  bool journal_on_ = false;

 public:
  // Progress (pointSearch in pointsearch.go; ctx_ without a function:
  // none): orig maps the tree's numbering to the input's, prog_ is the
  // tour mapped for the call, base_ the length of the first tour (the
  // local search's length is base_ + gain_), last_len_ and last_moves_
  // those of the last call, pops_ the cities taken since.
  void SetProgressMap(const int32_t* orig) {
    orig_ = orig;
    prog_.resize(static_cast<std::size_t>(n_));
  }
  void ReportFirst() noexcept {
    base_ = p_.CycleLength(t_.data());
    Report(base_);
  }
  void ReportLocalOptimum() noexcept {
    if (moves_ != last_moves_) Report(p_.CycleLength(t_.data()));
  }

 private:
  static constexpr uint64_t kRunReport = 2;   // pointsRunReport
  static constexpr int32_t kKickReport = 16;  // pointsKickReport
  void Report(double l) noexcept {
    if (!(l < last_len_)) return;
    last_len_ = l;
    last_moves_ = moves_;
    for (int32_t i = 0; i < n_; i++) prog_[i] = orig_[t_[i]];
    ctx_.Improved(l, moves_, prog_.data());
  }
  const int32_t* orig_ = nullptr;
  std::vector<int32_t> prog_;
  double base_ = 0, last_len_ = std::numeric_limits<double>::infinity();
  uint64_t last_moves_ = 0, pops_ = 0;
};

int32_t SolvePoints(const double* x, const double* y, int32_t n, int32_t kind, const double* radius, int32_t start,
                    int32_t algorithm, uint64_t seed, int64_t budget, const int32_t* cancel, tsp_progress_fn progress,
                    uint64_t handle, int32_t* order, double* length, uint64_t* nodes) {
  if (x == nullptr || y == nullptr || order == nullptr || length == nullptr || nodes == nullptr) return TSP_INVALID;
  if (n <= 0 || start < 0 || start >= n) return TSP_INVALID;
  if (algorithm != TSP_NEAREST && algorithm != TSP_TWOOPT && algorithm != TSP_ITERATED) return TSP_INVALID;
  if (algorithm == TSP_ITERATED && budget <= 0 && cancel == nullptr) return TSP_INVALID;  // it would never end
  if (n > TSP_MAX_POINTS) return TSP_TOO_LARGE;
  PointSet p0;
  if (!p0.Init(x, y, n, kind, radius)) return TSP_INVALID;
  Context ctx(nullptr, n, cancel);
  ctx.SetProgress(progress, handle);
  std::vector<int32_t> orig, inv;
  auto tr = std::make_unique<KdTree>(p0, orig, inv, ctx);
  if (tr->stopped()) {
    // stopped while the tree was built, before any tour: the cities in
    // index order from start (stoppedOrder)
    for (int32_t i = 0; i < n; i++) order[i] = static_cast<int32_t>((static_cast<int64_t>(start) + i) % n);
    if (n >= 3 && order[1] > order[n - 1]) std::reverse(order + 1, order + n);
    *length = p0.CycleLength(order);
    *nodes = 0;
    return TSP_STOPPED;
  }
  const PointSet p = p0.Permuted(orig);  // the tree's numbering: what the search runs on
  tr->SetPoints(p);
  PointSearch s(p, ctx);
  if (progress != nullptr) s.SetProgressMap(orig.data());
  int32_t code = TSP_OK;
  {
    if (!s.NearestInto(inv[start], *tr)) {
      code = TSP_STOPPED;
    } else {
      if (progress != nullptr) s.ReportFirst();  // the first tour
      if (algorithm != TSP_NEAREST && !s.Neighbours(*tr)) code = TSP_STOPPED;
    }
    tr.reset();  // the tree is no longer needed
  }
  if (code == TSP_OK && algorithm != TSP_NEAREST) {
    if (!s.Run()) {
      code = TSP_STOPPED;
    } else {
      if (progress != nullptr) s.ReportLocalOptimum();
      if (algorithm == TSP_ITERATED && n >= 8) code = s.Kicks(seed, budget);  // iteratedMinN
    }
  }
  // pointsFinish: rotated, turned and summed in the tree's numbering (the
  // same bits as in the input's, in a fraction of the time).
  std::vector<int32_t>& tv = s.tour();
  int32_t* t = tv.data();
  const int32_t st = inv[start];
  int32_t q = 0;
  while (t[q] != st) q++;
  if (q != 0) {
    std::reverse(t, t + q);
    std::reverse(t + q, t + n);
    std::reverse(t, t + n);
  }
  if (n >= 3 && orig[t[1]] > orig[t[n - 1]]) std::reverse(t + 1, t + n);
  *length = p.CycleLength(t);
  for (int32_t i = 0; i < n; i++) order[i] = orig[t[i]];
  *nodes = s.moves();
  return code;
}

}  // namespace points
}  // namespace
}  // namespace tsp

extern "C" int32_t tsp_solve_points(const double* x, const double* y, int32_t n, int32_t kind, const double* radius,
                                    int32_t start, int32_t algorithm, uint64_t seed, int64_t budget,
                                    const int32_t* cancel, int32_t* order, double* length, uint64_t* nodes) {
  return Guard([&]() -> int32_t {
    return tsp::points::SolvePoints(x, y, n, kind, radius, start, algorithm, seed, budget, cancel, nullptr, 0, order,
                                    length, nodes);
  });
}

extern "C" int32_t tsp_solve_points_progress(const double* x, const double* y, int32_t n, int32_t kind,
                                             const double* radius, int32_t start, int32_t algorithm, uint64_t seed,
                                             int64_t budget, const int32_t* cancel, tsp_progress_fn progress,
                                             uint64_t handle, int32_t* order, double* length, uint64_t* nodes) {
  return Guard([&]() -> int32_t {
    return tsp::points::SolvePoints(x, y, n, kind, radius, start, algorithm, seed, budget, cancel, progress, handle,
                                    order, length, nodes);
  });
}
