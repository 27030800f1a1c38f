/* rng.h - small seeded generator so every run can be replayed with --seed. */
#ifndef RNG_H
#define RNG_H

#include <stdint.h>

struct rng {
	uint64_t state;
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* A new seed a person can type: from 1 to 999999, not repeatable. */
uint64_t rng_fresh_seed(void);
/* Mix a run seed with a test index into an independent stream seed. */
uint64_t rng_derive(uint64_t seed, uint64_t index);

#endif
