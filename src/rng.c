/* rng.c - splitmix64: tiny, fast, and good enough for test inputs. */
#include "rng.h"

#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void rng_seed(struct rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
	/* Rejection sampling keeps the distribution exactly uniform. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;

	do
		x = rng_next(r);
	while (x >= limit);
	return (uint32_t)(x % n);
}

uint64_t rng_derive(uint64_t seed, uint64_t index)
{
	struct rng r;

	rng_seed(&r, seed ^ (index * 0xd1b54a32d192ed03ULL));
	return rng_next(&r);
}

uint64_t rng_fresh_seed(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint32_t)getpid() ^ (uint32_t)time(NULL);
	return 1 + v % 999999;
}
