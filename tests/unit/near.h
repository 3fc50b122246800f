/* near.h — test helper: compare doubles with a tolerance, naming the
 * expression and both values on failure (the packaged cmocka has no
 * assert_double_equal).  Include after <cmocka.h>. */
#ifndef TEST_NEAR_H
#define TEST_NEAR_H

#include <math.h>

static inline void near_check(double a, double b, double eps, const char *expr, int line)
{
    if (!(fabs(a - b) <= eps))
        fail_msg("line %d: %s = %.17g, expected %.17g (+-%g)", line, expr, a, b, eps);
}

#define assert_double_equal(a, b, eps) near_check((a), (b), (eps), #a, __LINE__)

#endif
