/* SPDX-License-Identifier: Apache-2.0 */
/* An in-memory SUIT platform for tests and benchmarks: components are
 * byte arrays with staged copies, fetch serves registered URIs, and every
 * call is counted so that tests can assert what the processor did. */
#ifndef IOTSEC_TEST_SUIT_MEM_H
#define IOTSEC_TEST_SUIT_MEM_H

#include "iotsec/suit.h"

#define MEM_COMPS 4
#define MEM_CAP 40000
#define MEM_URIS 4

struct mem_comp {
    uint8_t id[32];
    size_t id_len;
    uint8_t data[MEM_CAP];
    size_t len;
    uint8_t staged[MEM_CAP];
    size_t staged_len;
    int has_staged;
    uint64_t slot;
    uint8_t digest[32]; /* reported through the digest hook when use_digest */
    int use_digest;
};

struct mem_dev {
    struct mem_comp c[MEM_COMPS];
    size_t n;
    uint64_t seq, staged_seq;
    int has_staged_seq;
    struct {
        const char *uri;
        const uint8_t *data;
        size_t len;
    } uris[MEM_URIS];
    size_t n_uris;
    /* update management: battery percent, clock, the lowest update
     * priority the operator authorises, the version of every component */
    uint64_t battery, now;
    int64_t min_priority;
    int64_t version[4];
    size_t n_version;
    /* what happened */
    unsigned commits, aborts, invokes, fetches, records, writes, waits, unlinks;
    unsigned customs, custom_dry; /* custom command -1 calls, of which dry */
    unsigned dry_records;         /* records with dry_run set */
    unsigned dep_records;         /* records of a dependency's commands */
    int32_t last_dependency;      /* the dependency field of the last of those */
    char last_fetch[128];
    uint8_t last_invoked[32];
    size_t last_invoked_len;
    uint8_t last_args[64];
    size_t last_args_len;
};

/* The identity of the SUIT draft's examples, and their sample image digest
 * (0011..3210). */
extern const uint8_t mem_example_vendor[16], mem_example_class[16], mem_sample_digest[32];

/* Fill @p p with the memory platform over @p dev (identity and keys are
 * left for the caller). */
void mem_platform(struct iotsec_suit_platform *p, struct mem_dev *dev);
/* A fresh, empty @p dev with the examples' identity (keys left for the
 * caller). */
void mem_example_device(struct iotsec_suit_platform *p, struct mem_dev *dev);
/* Add a component with identifier bytes @p id (encoded) and content. */
struct mem_comp *mem_add(struct mem_dev *dev, const uint8_t *id, size_t id_len,
                         const uint8_t *data, size_t len);

#endif
