/* nosyms.c: a valid shared library without a single symbol of tsp.h. */
int not_a_tsp_kernel(int x) { return x + 1; }
