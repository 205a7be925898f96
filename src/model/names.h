/* names.h - findings model for names and addresses: who resolved to what, when a
 * name stopped resolving, what replaced it, and who asked first. Plain structs,
 * read-only for renderers. Times are UTC microseconds (input offset applied);
 * TL_TIME_NONE means "never". */
#ifndef TL_MODEL_NAMES_H
#define TL_MODEL_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "input/record.h"

/* A record that witnesses a fact: its time, canonical input and position
 * (frame or line) there. file is the input's label, borrowed from the context
 * (NULL when the context did not name the input). */
typedef struct tl_names_ref {
	int64_t ts;
	uint32_t input;
	uint64_t pos;
	const char *file;
} tl_names_ref_t;

/* One name seen resolving to an address (an A/AAAA answer whose owner is name). */
typedef struct tl_names_binding {
	char *name;           /* owned by the model */
	tl_addr_t addr;
	tl_names_ref_t first; /* earliest response carrying the answer */
	int64_t last_ts;      /* latest such response */
	uint64_t responses;   /* responses carrying it */
} tl_names_binding_t;

/* One address and every name that resolved to it, ordered by (first.ts,
 * first.input, first.pos, name bytes). */
typedef struct tl_names_addr {
	tl_addr_t addr;
	tl_names_binding_t *names;
	size_t n_names;
} tl_names_addr_t;

typedef struct tl_names_name {
	char *name;        /* lower-cased presentation form, trailing dot; owned */
	int target;        /* listed among the names of interest given to finish */
	int64_t first_seen, last_seen; /* any message whose qname is this name */
	uint64_t queries, responses;
	/* Last NOERROR response with at least one answer RR owned by the name. */
	int has_success;
	tl_names_ref_t last_success;
	/* First NXDOMAIN or SERVFAIL response after last_success (after the first
	 * message when there was never a success, i.e. the first failure). */
	int has_failure_after;
	tl_names_ref_t failure_after;
	uint16_t failure_rcode;
	int failure_exact;         /* 0: the failure cap was hit and the true first
				    * failure after the success may be earlier */
	uint64_t failures_dropped; /* failure times not kept because of the cap */
	tl_addr_t *addrs;          /* addresses it resolved to, sorted; owned */
	size_t n_addrs;
	/* Only for a name with a failure after its last success (it stopped
	 * resolving): bindings of other names to one of its addresses whose first
	 * response came after last_success; ordered by (first, name, address). */
	tl_names_binding_t *successors;
	size_t n_successors;
	/* Earliest query (ties: input, then position). */
	int has_first_query;
	tl_addr_t querier;
	uint16_t querier_port;   /* 0 when unknown */
	const char *querier_org; /* from ctx->sources/orgs when the address is there,
				  * else NULL for the engine to fill; borrowed */
	tl_names_ref_t first_query;
} tl_names_name_t;

typedef struct tl_names_model {
	uint64_t names_seen;     /* distinct names (qnames and A/AAAA owners) */
	uint64_t addrs_seen;     /* distinct addresses in A/AAAA answers */
	uint64_t bindings_seen;  /* distinct (name, address) pairs */
	uint64_t failure_cap;    /* the per-name cap on kept failure times */
	uint64_t names_capped;   /* names that hit it (over all names) */
	int filtered;            /* 1: only names of interest are listed below */
	tl_names_addr_t *addrs;  /* sorted by (family, bytes) */
	size_t n_addrs;
	tl_names_name_t *names;  /* sorted by name bytes */
	size_t n_names;
} tl_names_model_t;

#endif
