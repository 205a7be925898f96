/* mkcase.c - writes the synthetic sample case (captures, logs, organisations, events,
 * case file, ground truth) from a seed, byte for byte the same on every run.
 *
 * Usage: mkcase [--seed N] [--large FACTOR] [scenario options] OUTDIR
 *
 * The scenario options (usage() lists them) vary the sample for the calibration of the
 * event test on full cases (tools/calibrate/fullcases.sh, docs/validation.md). All are off
 * by default, and without them the output is the sample, byte for byte (the test
 * case/regenerate); with any of them ground-truth.json gains a "scenario" object that
 * states what was done, and its events state each event's true multiplier.
 *
 * The scenario is modelled on the published shape of a 2016 case (see samples/README.md)
 * with fictional names under .example and documentation addresses only. Every figure in
 * ground-truth.json is counted from what was actually written, not derived from the
 * parameters. */
#include <errno.h>
#include <jansson.h>
#include <ldns/ldns.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkcase.h"
#include "util/sha256.h"
#include "util/tz.h"

#define US 1000000LL
#define HOUR (3600 * US)
#define DAY (24 * HOUR)

/* ---------------------------------------------------------------- time */

static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t T(int y, int mo, int d, int h, int mi, int s)
{
	return ((days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + s) * US;
}

static void civil(int64_t us, int *y, int *mo, int *d, int *h, int *mi, int *s, int *frac)
{
	int64_t secs = us >= 0 ? us / US : (us - US + 1) / US;
	*frac = (int)(us - secs * US);
	int64_t z = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t sod = secs - z * 86400;
	*h = (int)(sod / 3600);
	*mi = (int)(sod % 3600 / 60);
	*s = (int)(sod % 60);
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*mo <= 2));
}

static void iso(int64_t us, char *out, size_t n, int frac_digits)
{
	int y, mo, d, h, mi, s, f;
	civil(us, &y, &mo, &d, &h, &mi, &s, &f);
	int k;
	if (frac_digits == 6)
		k = snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", y, mo, d, h, mi, s, f);
	else
		k = snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
	if (k < 0 || (size_t)k >= n)
		abort(); /* the callers' buffers hold any date of the case */
}

static int wday(int64_t us) /* 0 = Sunday */
{
	int64_t days = us / DAY;
	return (int)((days + 4) % 7);
}

/* ---------------------------------------------------------------- scenario constants */

#define N_SENSORS 3
#define N_BRANDS 8
enum { QT_A, QT_AAAA, QT_MX, QT_TXT, NQT };
static const char *const qt_name[NQT] = {"A", "AAAA", "MX", "TXT"};

static const char *const brands[N_BRANDS] = {"hallworth", "bellmoor", "quayside", "fairhaven",
					      "ostrander", "windmere", "carrow", "pemberly"};
#define TARGET_NAME "mail1.hallworth-email.example"
#define TARGET_IP "203.0.113.29"
#define SUCC_NAME "hw1.contact-partner.example"
#define SUCC_ZONE "contact-partner.example"
#define OPERATOR_NS "copperline-dns.example"
#define TARGET_TTL 3600
#define NEG_TTL 900

static int64_t t_begin, t_end, t_rename, t_succ, t_bank_stop, t_out_s, t_out_e, t_gap_s,
	t_gap_e, t_mir_s, t_mir_e;
static const int64_t clock_off[N_SENSORS] = {0, -180000, 800000};
static const char *const ns_v4[N_SENSORS] = {"198.51.100.1", "198.51.100.2", "198.51.100.3"};
static const char *const ns_v6[N_SENSORS] = {"2001:db8:53::1", "2001:db8:53::2",
					     "2001:db8:53::3"};
static const double p_loss = 0.015;    /* response lost after the sensor: resolver retries */
static const double p_drop = 1.0 / 2500; /* sensor 2 interface drops (non-target UDP only) */

typedef struct org {
	const char *name;
	const char *cidrs[4];
	int tz;
} org_t;

enum { O_OPER, O_BANK, O_HOSP, O_SENT, O_OPENQ, O_NORTH, O_HARBOR, O_BLUE, O_RIVER, O_ALDER,
       O_KESTREL, N_ORGS };
static const org_t orgs[N_ORGS] = {
	{"Copperline Hospitality Marketing",
	 {"198.51.100.0/28", "203.0.113.0/26", "2001:db8:53::/48", "2001:db8:c0::/48"}, -4},
	{"АО «Банк Полярный»", {"198.51.100.16/29", "198.51.100.24/29", "2001:db8:ba4::/48"}, 3},
	{"Lakeshore Health Partners", {"198.51.100.40/29"}, -4},
	{"Sentinel Mailguard Inc.", {"198.51.100.48/28", "2001:db8:5e::/48"}, -7},
	{"OpenQuery Public DNS", {"198.51.100.64/27", "2001:db8:4444::/48"}, 0},
	{"Northwind Broadband", {"192.0.2.0/24", "2001:db8:100::/40"}, -5},
	{"Harbor City University", {"192.0.2.128/26"}, -5},
	{"Bluefield Telecom", {"203.0.113.64/26", "2001:db8:200::/40"}, 1},
	{"Riverside Cable", {"203.0.113.128/26"}, -6},
	{"Alder Valley Webmail", {"198.51.100.128/26", "2001:db8:300::/40"}, 2},
	{"Kestrel Cloud Hosting", {"198.51.100.192/27", "2001:db8:400::/40"}, 8},
};

/* Pools the ordinary resolvers are drawn from: v4 prefix a.b.c + host range, or a v6 prefix. */
typedef struct pool {
	int org; /* -1: unattributed */
	const char *prefix;
	int lo, hi, v6, count;
} pool_t;

static const pool_t pools[] = {
	{O_NORTH, "192.0.2.", 1, 126, 0, 70},       {O_HARBOR, "192.0.2.", 129, 190, 0, 25},
	{O_BLUE, "203.0.113.", 65, 126, 0, 40},     {O_RIVER, "203.0.113.", 129, 190, 0, 35},
	{O_ALDER, "198.51.100.", 129, 190, 0, 30},  {O_KESTREL, "198.51.100.", 193, 222, 0, 20},
	{O_OPENQ, "198.51.100.", 65, 94, 0, 12},    {-1, "203.0.113.", 193, 254, 0, 30},
	{-1, "198.51.100.", 97, 126, 0, 15},        {O_SENT, "198.51.100.", 49, 62, 0, 6},
	{O_NORTH, "2001:db8:1", 0, 0, 1, 40},       {O_BLUE, "2001:db8:2", 0, 0, 1, 25},
	{O_ALDER, "2001:db8:3", 0, 0, 1, 20},       {O_KESTREL, "2001:db8:4", 0, 0, 1, 15},
	{O_OPENQ, "2001:db8:4444:", 0, 0, 1, 8},    {O_SENT, "2001:db8:5e:", 0, 0, 1, 4},
	{-1, "2001:db8:f", 0, 0, 1, 30},
};

typedef struct event {
	const char *start, *end, *label, *category;
	int before_h, after_h;
	double mult; /* injected multiplier of the bank's target demand inside the window */
} event_t;

static const event_t events[] = {
	{"2016-05-26T16:00:00Z", "", "Party A nominee passes the delegate threshold", "politics",
	 12, 36, 1.0},
	{"2016-06-14T13:00:00Z", "", "Intrusion at Party B committee disclosed", "security", 12,
	 36, 2.5},
	{"2016-06-23T09:00:00Z", "", "Bank annual shareholder meeting", "finance", 12, 36, 1.0},
	{"2016-07-04T00:00:00Z", "2016-07-05T00:00:00Z", "Public holiday (Independence Day)",
	 "calendar", 0, 0, 1.0},
	{"2016-07-18T00:00:00Z", "2016-07-22T00:00:00Z", "Party A convention", "politics", 0, 0,
	 3.0},
	{"2016-07-22T14:00:00Z", "", "Party B committee emails published", "politics", 12, 36,
	 1.0},
	{"2016-07-25T00:00:00Z", "2016-07-29T00:00:00Z", "Party B convention", "politics", 0, 0,
	 1.0},
	{"2016-08-19T14:00:00Z", "", "Party A campaign chairman resigns", "politics", 12, 36,
	 2.0},
	{"2016-09-08T12:00:00Z", "", "Sector conference on payment systems", "finance", 12, 36,
	 1.0},
	{"2016-09-21T16:00:00Z", "", "Newspaper contacts the bank", "press", 12, 36, 1.0},
	{"2016-09-26T21:00:00Z", "", "First presidential debate", "politics", 12, 36, 1.0},
	{"2016-10-09T20:00:00Z", "", "Second presidential debate", "politics", 12, 36, 1.0},
};
#define N_EVENTS (sizeof(events) / sizeof(events[0]))
static int64_t ev_ws[N_EVENTS], ev_we[N_EVENTS];
static double ev_mult[N_EVENTS]; /* the multiplier in force: events[].mult or an option's */

/* ---------------------------------------------------------------- scenario options */

/* What the options ask for. The defaults are the sample; opt_any is set when one differs,
 * and only then does anything new reach the output. */
typedef struct mk_opts {
	const char *scenario; /* the --scenario name, or NULL */
	int effects;          /* EFF_SAMPLE, EFF_NONE, EFF_FIXED or EFF_LADDER */
	double effect;        /* EFF_FIXED: every injected event's multiplier */
	int rename;           /* 1: the target is retired on 2016-09-23 (the sample); 0: live */
	double trend;         /* target demand times 1 rising linearly to this; 1: none */
	int sessions;         /* target demand in sessions, with retries */
	int bursts;           /* one-off bursts of target queries */
	int gaps;             /* extra sensor outages */
	const char *zone;     /* office hours of the bank and the hospital in this zone */
	int fast;             /* gzip level 1: the same contents, other bytes */
} mk_opts_t;

enum { EFF_SAMPLE, EFF_NONE, EFF_FIXED, EFF_LADDER };

static mk_opts_t opt = {.effects = EFF_SAMPLE, .rename = 1, .trend = 1.0};
static int opt_any;

/* The calibration's scenario names (tools/calibrate/calibrate.c) as mkcase options. The
 * ones that need what mkcase cannot do are absent: no hint (the names finding always sees
 * the retired name answer NXDOMAIN) and two sensors (the sample has three). */
typedef struct mk_scenario {
	const char *name, *what;
	int effects, rename, sessions, bursts, gaps;
	double trend;
	const char *zone;
} mk_scenario_t;

static const mk_scenario_t mk_scenarios[] = {
	{"null-stationary", "no effects, no rename", EFF_NONE, 0, 0, 0, 0, 1.0, NULL},
	{"null-sessions", "no effects, no rename, --sessions", EFF_NONE, 0, 1, 0, 0, 1.0, NULL},
	{"null-rename", "no effects, --rename yes", EFF_NONE, 1, 0, 0, 0, 1.0, NULL},
	{"null-trend", "no effects, no rename, --trend 1.75", EFF_NONE, 0, 0, 0, 0, 1.75, NULL},
	{"null-bursts", "no effects, no rename, --bursts 7", EFF_NONE, 0, 0, 7, 0, 1.0, NULL},
	{"null-gaps", "no effects, no rename, --gaps 12", EFF_NONE, 0, 0, 0, 12, 1.0, NULL},
	{"null-dst", "no effects, no rename, --dst-zone America/Santiago", EFF_NONE, 0, 0, 0, 0,
	 1.0, "America/Santiago"},
	{"null-all", "no effects, rename, sessions, trend 1.75, bursts 7, gaps 12", EFF_NONE, 1,
	 1, 7, 12, 1.75, NULL},
	{"effects-rename", "rename, sessions; injected events 1.5x, 2x, 3x", EFF_LADDER, 1, 1, 0,
	 0, 1.0, NULL},
	{"effects-live", "no rename, sessions; injected events 1.5x, 2x, 3x", EFF_LADDER, 0, 1, 0,
	 0, 1.0, NULL},
};
#define N_MK_SCENARIOS (sizeof(mk_scenarios) / sizeof(mk_scenarios[0]))

/* --bursts: a scanner, a monitoring check or a client without a cache asks for the target
 * 15-60 times within 0.5-4 h, from one address, at a time unrelated to the events. */
typedef struct burst {
	int res;
	int64_t start, end;
	int queries;
} burst_t;

/* --gaps: a sensor records nothing for 30 min to 3 days (log-uniform). */
typedef struct outage {
	int sensor;
	int64_t start, end;
} outage_t;

#define MAX_EXTRA 1000 /* cap of --bursts and --gaps */
static burst_t bursts[MAX_EXTRA];
static mk_rng_t burst_rng; /* the times of the bursts' queries */
static outage_t outs[MAX_EXTRA];

/* --dst-zone: local hour and weekday (0 = Sunday) in the zone, per hour of the period */
static uint8_t *zl_hour, *zl_wday;

static int64_t parse_iso(const char *s)
{
	int y, mo, d, h, mi, se;
	if (!*s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &se) != 6)
		return INT64_MIN;
	return T(y, mo, d, h, mi, se);
}

/* ---------------------------------------------------------------- names */

enum { K_MAIL1, K_APEX, K_DKIM, K_DMARC, K_EMAIL, K_WWW, K_MAIL2, K_TARGET, K_SUCC };

typedef struct name {
	char name[96], zone[64];
	int kind, brand;
	char ip[40];
	char *txt[8]; /* TXT rdata (presentation), NULL-terminated */
} name_t;

#define MAX_NAMES 64
static name_t names[MAX_NAMES];
static int n_names, nm_target, nm_succ;

static char *b64ish(mk_rng_t *r, int n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *s = malloc((size_t)n + 1);
	if (!s)
		abort();
	for (int i = 0; i < n; i++)
		s[i] = al[mk_rng_below(r, 64)];
	s[n] = 0;
	return s;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static int add_name(const char *nm, const char *zone, int kind, int brand)
{
	name_t *n = &names[n_names];
	snprintf(n->name, sizeof(n->name), "%s", nm);
	snprintf(n->zone, sizeof(n->zone), "%s", zone);
	n->kind = kind;
	n->brand = brand;
	return n_names++;
}

static void build_names(uint64_t seed)
{
	mk_rng_t r;
	mk_rng_seed(&r, seed, 77);
	char nm[96], zone[64], t[700];
	for (int b = 0; b < N_BRANDS; b++) {
		snprintf(zone, sizeof(zone), "%s-email.example", brands[b]);
		snprintf(nm, sizeof(nm), "mail1.%s", zone);
		int i = add_name(nm, zone, b == 0 ? K_TARGET : K_MAIL1, b);
		/* brands 1 and 2 share the target's mail server address */
		if (b <= 2)
			snprintf(names[i].ip, sizeof(names[i].ip), "%s", TARGET_IP);
		else
			snprintf(names[i].ip, sizeof(names[i].ip), "203.0.113.%d", 27 + b);
		if (b == 0)
			nm_target = i;
		i = add_name(zone, zone, K_APEX, b);
		int k = 0;
		names[i].txt[k++] = xstrdup("\"v=spf1 ip4:203.0.113.0/26 ip6:2001:db8:c0::/48 -all\"");
		if (b % 2 == 0) { /* several verification strings: a response over 512 bytes */
			const char *pfx[] = {"site-verification=", "ms=ms", "mailer-verify=",
					     "brand-indicator=", "partner-token="};
			for (int j = 0; j < 5; j++) {
				char *x = b64ish(&r, 60);
				snprintf(t, sizeof(t), "\"%s%s\"", pfx[j], x);
				free(x);
				names[i].txt[k++] = xstrdup(t);
			}
		}
		snprintf(nm, sizeof(nm), "selector1._domainkey.%s", zone);
		i = add_name(nm, zone, K_DKIM, b);
		{
			char *x = b64ish(&r, 392);
			snprintf(t, sizeof(t), "\"v=DKIM1; k=rsa; p=%.*s\" \"%s\"", 200, x, x + 200);
			free(x);
			names[i].txt[0] = xstrdup(t);
		}
		snprintf(nm, sizeof(nm), "_dmarc.%s", zone);
		i = add_name(nm, zone, K_DMARC, b);
		if (b % 3 == 0) {
			snprintf(t, sizeof(t), "\"v=DMARC1; p=none; rua=mailto:dmarc@%s\"", zone);
			names[i].txt[0] = xstrdup(t);
		}
		snprintf(nm, sizeof(nm), "email.%s", zone);
		i = add_name(nm, zone, K_EMAIL, b);
		snprintf(names[i].ip, sizeof(names[i].ip), "203.0.113.%d", 40 + b);
		snprintf(zone, sizeof(zone), "%s.example", brands[b]);
		snprintf(nm, sizeof(nm), "www.%s", zone);
		i = add_name(nm, zone, K_WWW, b);
		snprintf(names[i].ip, sizeof(names[i].ip), "203.0.113.%d", 50 + b);
		snprintf(zone, sizeof(zone), "%s-email.example", brands[b]);
		snprintf(nm, sizeof(nm), "mail2.%s", zone);
		add_name(nm, zone, K_MAIL2, b);
	}
	nm_succ = add_name(SUCC_NAME, SUCC_ZONE, K_SUCC, 0);
	snprintf(names[nm_succ].ip, sizeof(names[nm_succ].ip), "%s", TARGET_IP);
}

/* The authoritative answer for (name, type) at time t: RR texts with owner "%s". */
typedef struct answer {
	int rcode; /* 0 or 3 */
	int n_an;
	char an[8][720];
	uint32_t ttl; /* for the text logs: the answers' TTL, 0 if none */
	char soa[320];
} answer_t;

static void make_answer(int ni, int qt, int64_t t, answer_t *a)
{
	const name_t *n = &names[ni];
	memset(a, 0, sizeof(*a));
	int nx = n->kind == K_MAIL2 || (n->kind == K_DMARC && !n->txt[0]) ||
		 (n->kind == K_TARGET && t >= t_rename) || (n->kind == K_SUCC && t < t_succ);
	uint32_t ttl = 3600;
	if (!nx) {
		switch (n->kind) {
		case K_MAIL1:
		case K_TARGET:
		case K_SUCC:
		case K_EMAIL:
		case K_WWW:
			if (n->kind == K_EMAIL)
				ttl = 600;
			if (n->kind == K_WWW)
				ttl = 300;
			if (qt == QT_A)
				snprintf(a->an[a->n_an++], sizeof(a->an[0]), "%%s %u IN A %s", ttl,
					 n->ip);
			else if (qt == QT_AAAA && n->kind == K_WWW)
				snprintf(a->an[a->n_an++], sizeof(a->an[0]),
					 "%%s %u IN AAAA 2001:db8:c0::%x", ttl, n->brand + 1);
			break;
		case K_APEX:
			if (qt == QT_MX)
				snprintf(a->an[a->n_an++], sizeof(a->an[0]),
					 "%%s 3600 IN MX 10 mail1.%s.", n->zone);
			else if (qt == QT_TXT)
				for (int k = 0; n->txt[k]; k++)
					snprintf(a->an[a->n_an++], sizeof(a->an[0]),
						 "%%s 3600 IN TXT %s", n->txt[k]);
			break;
		case K_DKIM:
		case K_DMARC:
			if (qt == QT_TXT)
				snprintf(a->an[a->n_an++], sizeof(a->an[0]), "%%s 3600 IN TXT %s",
					 n->txt[0]);
			break;
		}
	}
	a->rcode = nx ? 3 : 0;
	a->ttl = a->n_an ? ttl : 0;
	if (!a->n_an)
		snprintf(a->soa, sizeof(a->soa),
			 "%s. %d IN SOA ns1.%s. hostmaster.%s. 2016050401 3600 900 1209600 %d",
			 n->zone, NEG_TTL, OPERATOR_NS, OPERATOR_NS, NEG_TTL);
}

/* ---------------------------------------------------------------- resolvers */

enum { R_BANK1, R_BANK2, R_HOSP, R_OTHER, R_BG };

typedef struct mixent {
	int name, qt;
	double cum;
} mixent_t;

typedef struct res {
	mk_addr_t ip;
	char ipstr[48];
	int org, role, tz;
	double bg_rate;
	mixent_t *mix;
	int n_mix;
	uint8_t ip_ttl;
	uint16_t edns; /* 0: no EDNS */
	int dobit, x20, fixed_port;
	uint16_t port;
	double srv_w[N_SENSORS];
	int64_t rtt_us;
	int64_t *expiry; /* [name * NQT + qt] */
	mk_rng_t rng;
	/* target demand (per hour) */
	double tg_active, tg_idle, tg_weekend;
	int act_from, act_to; /* UTC hours [from, to), or local ones with --dst-zone */
	double tg_aaaa;       /* share of AAAA among target queries */
	/* --sessions: retransmission probability of a target query, and the target demand
	 * still to come from sessions begun earlier (sorted times) */
	double p_retry;
	int64_t *pend;
	size_t n_pend, cap_pend;
} res_t;

#define BG_SCALE 0.12 /* demand per hour of an ordinary resolver, scaled */
static res_t *res;
static int n_res;

static const double diurnal[24] = {0.3, 0.25, 0.2, 0.2, 0.25, 0.4, 0.7, 1.1, 1.5, 1.7, 1.7, 1.6,
				   1.5, 1.6, 1.7, 1.6, 1.4, 1.2, 1.0, 0.9, 0.8, 0.7, 0.5, 0.4};

static int ip_used(const char *s)
{
	for (int i = 0; i < n_res; i++)
		if (!strcmp(res[i].ipstr, s))
			return 1;
	return 0;
}

static void base_profile(res_t *r, mk_rng_t *g)
{
	static const uint8_t ittl[] = {64, 64, 64, 128, 255};
	/* one draw per statement: C leaves the order of operands and arguments open */
	uint8_t base = ittl[mk_rng_below(g, 5)];
	r->ip_ttl = (uint8_t)(base - 4 - mk_rng_below(g, 18));
	double u = mk_rng_unit(g);
	r->edns = u < 0.04 ? 0 : u < 0.07 ? 512 : u < 0.35 ? 1232 : 4096;
	r->dobit = r->edns && mk_rng_unit(g) < 0.7;
	r->x20 = mk_rng_unit(g) < 0.05;
	r->fixed_port = mk_rng_unit(g) < 0.02;
	r->port = (uint16_t)(1024 + mk_rng_below(g, 64000));
	int pref = (int)mk_rng_below(g, N_SENSORS);
	for (int s = 0; s < N_SENSORS; s++)
		r->srv_w[s] = 0.15 + 0.3 * mk_rng_unit(g);
	r->srv_w[pref] += 0.8; /* BIND-like: the fastest server gets most queries */
	r->rtt_us = 5000 + (int64_t)mk_rng_below(g, 175000);
	r->tz = r->org >= 0 ? orgs[r->org].tz : (int)mk_rng_below(g, 24) - 11;
}

static void build_mix(res_t *r, mk_rng_t *g, double brand_bias0)
{
	/* weights per kind and type; the target and its successor are never in a mix */
	static const double kw[][NQT] = {
		[K_MAIL1] = {3.0, 1.0, 0.05, 0.05}, [K_APEX] = {0.1, 0.05, 0.6, 1.2},
		[K_DKIM] = {0, 0, 0, 0.5},          [K_DMARC] = {0, 0, 0, 0.8},
		[K_EMAIL] = {2.0, 0.5, 0, 0},       [K_WWW] = {1.5, 0.8, 0, 0},
		[K_MAIL2] = {0.1, 0.02, 0, 0},
	};
	double bw[N_BRANDS];
	int k = 1 + (int)mk_rng_below(g, N_BRANDS);
	for (int b = 0; b < N_BRANDS; b++)
		bw[b] = 0;
	for (int j = 0; j < k; j++) {
		int b = (int)mk_rng_below(g, N_BRANDS);
		bw[b] += 0.2 + mk_rng_unit(g) * (b == 0 ? brand_bias0 : 1.0);
	}
	r->mix = calloc((size_t)n_names * NQT, sizeof(mixent_t));
	if (!r->mix)
		abort();
	double cum = 0;
	for (int ni = 0; ni < n_names; ni++) {
		const name_t *n = &names[ni];
		if (n->kind == K_TARGET || n->kind == K_SUCC || bw[n->brand] == 0)
			continue;
		for (int q = 0; q < NQT; q++) {
			double w = kw[n->kind][q];
			if (w <= 0)
				continue;
			cum += w * bw[n->brand] * (0.3 + 1.4 * mk_rng_unit(g));
			r->mix[r->n_mix++] = (mixent_t){ni, q, cum};
		}
	}
	for (int i = 0; i < r->n_mix; i++)
		r->mix[i].cum /= cum;
}

static res_t *new_res(const char *ip, int org, int role, uint64_t seed, int idx)
{
	res_t *r = &res[n_res++];
	memset(r, 0, sizeof(*r));
	snprintf(r->ipstr, sizeof(r->ipstr), "%s", ip);
	if (mk_addr_parse(ip, &r->ip) != 0) {
		fprintf(stderr, "mkcase: bad address %s\n", ip);
		exit(1);
	}
	mk_addr_str(&r->ip, r->ipstr, sizeof(r->ipstr));
	r->org = org;
	r->role = role;
	mk_rng_seed(&r->rng, seed, 1000 + (uint64_t)idx);
	mk_rng_t g;
	mk_rng_seed(&g, seed, 500000 + (uint64_t)idx);
	base_profile(r, &g);
	build_mix(r, &g, 0.5);
	double u = mk_rng_unit(&g);
	r->bg_rate = BG_SCALE * (u < 0.5 ? 0.02 + 0.08 * mk_rng_unit(&g)
			      : u < 0.85 ? 0.1 + 0.4 * mk_rng_unit(&g)
			      : u < 0.97 ? 0.5 + 1.5 * mk_rng_unit(&g)
					 : 2.0 + 4.0 * mk_rng_unit(&g));
	r->expiry = calloc((size_t)n_names * NQT, sizeof(int64_t));
	if (!r->expiry)
		abort();
	return r;
}

static void build_resolvers(uint64_t seed, int factor)
{
	int cap = 32, n_pool = 0;
	for (size_t p = 0; p < sizeof(pools) / sizeof(pools[0]); p++)
		n_pool += pools[p].count;
	cap += n_pool * factor;
	res = calloc((size_t)cap, sizeof(res_t));
	if (!res)
		abort();
	/* the sources of the target, first */
	res_t *r = new_res("198.51.100.21", O_BANK, R_BANK1, seed, 0);
	res_t *r2 = new_res("198.51.100.29", O_BANK, R_BANK2, seed, 1);
	for (res_t *b = r; b; b = b == r ? r2 : NULL) {
		b->ip_ttl = 53; /* 64 minus 11 hops */
		b->edns = 4096;
		b->dobit = 1;
		b->x20 = 1;
		b->fixed_port = 0;
		b->bg_rate = 0.04;
		b->tg_active = 8.0;
		b->tg_idle = 0.15;
		b->tg_weekend = 0.0;
		b->act_from = 6;
		b->act_to = 16;
	}
	r->srv_w[0] = 1.0, r->srv_w[1] = 0.55, r->srv_w[2] = 0.45;
	r2->srv_w[0] = 0.5, r2->srv_w[1] = 1.0, r2->srv_w[2] = 0.5;
	r = new_res("198.51.100.43", O_HOSP, R_HOSP, seed, 2);
	r->ip_ttl = 121, r->edns = 1232, r->dobit = 0, r->x20 = 0;
	r->bg_rate = 0.08;
	r->tg_active = 0.7, r->tg_idle = 0.06, r->tg_weekend = 0.35;
	r->act_from = 12, r->act_to = 22;
	static const struct {
		const char *ip;
		int org;
		double rate, aaaa;
	} others[] = {
		{"198.51.100.50", O_SENT, 0.005, 0.0},  {"2001:db8:5e::25", O_SENT, 0.004, 0.3},
		{"198.51.100.70", O_OPENQ, 0.003, 0.0}, {"2001:db8:4444::53", O_OPENQ, 0.002, 0.4},
		{"192.0.2.53", O_NORTH, 0.002, 0.0},    {"203.0.113.222", -1, 0.0015, 0.0},
	};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		r = new_res(others[i].ip, others[i].org, R_OTHER, seed, 3 + (int)i);
		r->tg_active = r->tg_idle = others[i].rate;
		r->tg_weekend = 1.0;
		r->act_from = 0, r->act_to = 24;
		r->tg_aaaa = others[i].aaaa;
		if (others[i].org == O_SENT || others[i].org == O_OPENQ)
			r->bg_rate = BG_SCALE * (8.0 + 4.0 * mk_rng_unit(&r->rng));
	}
	/* ordinary resolvers */
	mk_rng_t g;
	mk_rng_seed(&g, seed, 99);
	int idx = 100;
	for (size_t p = 0; p < sizeof(pools) / sizeof(pools[0]); p++) {
		const pool_t *pl = &pools[p];
		int cnt = pl->count;
		for (int i = 0; i < cnt; i++) {
			char ip[64];
			do {
				if (pl->v6) {
					uint32_t x1 = mk_rng_below(&g, 0x1000);
					uint32_t x2 = mk_rng_below(&g, 0x10000);
					uint32_t x3 = 1 + mk_rng_below(&g, 0xfffe);
					snprintf(ip, sizeof(ip), "%s%03x:%x::%x", pl->prefix, x1,
						 x2, x3);
				} else
					snprintf(ip, sizeof(ip), "%s%d", pl->prefix,
						 pl->lo + (int)mk_rng_below(&g, (uint32_t)(pl->hi - pl->lo + 1)));
				mk_addr_t a;
				mk_addr_parse(ip, &a);
				mk_addr_str(&a, ip, sizeof(ip));
			} while (ip_used(ip));
			new_res(ip, pl->org, R_BG, seed, idx++);
		}
	}
	/* --large: (factor - 1) times as many more ordinary resolvers, unattributed IPv6 */
	for (int i = 0; i < n_pool * (factor - 1); i++) {
		char ip[64];
		do {
			uint32_t x1 = mk_rng_below(&g, 0x1000);
			uint32_t x2 = mk_rng_below(&g, 0x10000);
			uint32_t x3 = 1 + mk_rng_below(&g, 0xfffe);
			snprintf(ip, sizeof(ip), "2001:db8:e%03x:%x::%x", x1, x2, x3);
			mk_addr_t a;
			mk_addr_parse(ip, &a);
			mk_addr_str(&a, ip, sizeof(ip));
		} while (n_res < 20000 && ip_used(ip));
		new_res(ip, -1, R_BG, seed, idx++);
	}
}

/* ---------------------------------------------------------------- packets per sensor */

enum { P_QUERY = 1, P_TCP = 2, P_V6 = 4, P_MAL = 8, P_SPOOF = 16, P_MIRROR = 32, P_DNS = 64 };

typedef struct pkt {
	int64_t ts;
	uint64_t seq;
	uint8_t *frame;
	uint32_t len;
	uint32_t lookup; /* logical lookup, UINT32_MAX for none */
	int16_t res, name;
	uint8_t qt, flags, mal;
	char *text; /* line for the sensor's text log, without the time */
} pkt_t;

typedef struct sensor {
	pkt_t *p;
	size_t n, cap;
	/* output */
	pcap_t *pd;
	pcap_dumper_t *dump;
	FILE *ng;    /* pcapng */
	FILE *txt;   /* BIND log (sensor 1) or CSV (sensor 3) */
	uint64_t frames, lines, drops, msgs, queries, responses, udp, tcp, v4, v6;
	int64_t first_ts, last_ts;
} sensor_t;

static sensor_t sens[N_SENSORS];
static uint64_t pkt_seq;
static const char *const sensor_file[N_SENSORS] = {"sensor1-ns1.pcap", "sensor2-ns2.pcapng.gz",
						   "sensor3-ns3.pcap.gz"};
#define BIND_FILE "sensor1-ns1-queries.log.gz"
#define CSV_FILE "sensor3-ns3-pdns.csv.gz"
#define BIND_GZ 1
#define CSV_GZ 1

static const uint8_t mac_router[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
static uint8_t mac_ns[N_SENSORS][6] = {{0x02, 0x00, 0x00, 0x00, 0x53, 0x01},
				       {0x02, 0x00, 0x00, 0x00, 0x53, 0x02},
				       {0x02, 0x00, 0x00, 0x00, 0x53, 0x03}};

static void push(int s, int64_t ts, uint8_t *frame, uint32_t len, uint32_t lookup, int ri,
		 int ni, int qt, int flags, int mal, char *text)
{
	sensor_t *S = &sens[s];
	if (S->n == S->cap) {
		S->cap = S->cap ? S->cap * 2 : 4096;
		S->p = realloc(S->p, S->cap * sizeof(pkt_t));
		if (!S->p)
			abort();
	}
	S->p[S->n++] = (pkt_t){ts, pkt_seq++, frame, len, lookup, (int16_t)ri, (int16_t)ni,
			       (uint8_t)qt, (uint8_t)flags, (uint8_t)mal, text};
}

/* ---------------------------------------------------------------- logical lookups */

enum { M_BG, M_PERIODIC, M_SPARSE, M_SPOOF, M_SCRIPT, M_BURST };

typedef struct lookup {
	int64_t t;
	int res, name, qt, mode, rcode;
	uint8_t seen;    /* bit per sensor: seen in its capture */
	uint8_t sent;    /* bit per server: queried (first attempt and retry) */
	uint8_t retried; /* 1: the answer was lost and another server asked */
	uint8_t tc;
	int64_t spoof_ttl;
} lookup_t;

static lookup_t *lk;
static size_t n_lk, cap_lk;

static int in_gap(int64_t t)
{
	return t >= t_gap_s && t < t_gap_e;
}

static int sensor_up(int s, int64_t t)
{
	if (in_gap(t))
		return 0;
	if (s == 1 && t >= t_out_s && t < t_out_e)
		return 0;
	for (int i = 0; i < opt.gaps; i++)
		if (outs[i].sensor == s && t >= outs[i].start && t < outs[i].end)
			return 0;
	return 1;
}

/* Case randomisation of the question name (draft-vixie-dnsext-dns0x20). */
static void apply_x20(char *s, mk_rng_t *g)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z' && (mk_rng_u64(g) & 1))
			*s = (char)(*s - 'a' + 'A');
}

static uint8_t *dns_wire(ldns_pkt *p, size_t *len)
{
	uint8_t *w = NULL;
	if (ldns_pkt2wire(&w, p, len) != LDNS_STATUS_OK) {
		fprintf(stderr, "mkcase: ldns_pkt2wire failed\n");
		exit(1);
	}
	return w;
}

static ldns_rr *rr_str(const char *fmt, const char *owner)
{
	/* fmt holds "%s" once, for the owner name */
	char buf[1024];
	const char *p = strstr(fmt, "%s");
	if (p)
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - fmt), fmt, owner, p + 2);
	else
		snprintf(buf, sizeof(buf), "%s", fmt);
	ldns_rr *rr = NULL;
	if (ldns_rr_new_frm_str(&rr, buf, 0, NULL, NULL) != LDNS_STATUS_OK) {
		fprintf(stderr, "mkcase: bad RR %s\n", buf);
		exit(1);
	}
	return rr;
}

typedef struct tcpseg {
	int from_client;
	int64_t t;
	uint8_t flags;
	uint32_t seq, ack;
	const uint8_t *pl;
	size_t plen;
} tcpseg_t;

typedef struct qspec {
	const res_t *r;
	mk_addr_t src;
	uint8_t ip_ttl;
	uint16_t edns;
	int dobit;
	char qname[128]; /* as sent (0x20 applied) */
	int name, qt;
	uint16_t id, sport;
} qspec_t;

/* Builds query and answer messages; *tc set when the answer does not fit over UDP. */
static void build_msgs(const qspec_t *q, int64_t t, int tcp, uint8_t **qw, size_t *ql,
		       uint8_t **aw, size_t *al, int *tc, answer_t *ans)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_pkt_set_id(p, q->id);
	ldns_pkt_set_opcode(p, LDNS_PACKET_QUERY);
	char qs[200];
	snprintf(qs, sizeof(qs), "%s. IN %s", q->qname, qt_name[q->qt]);
	ldns_rr *qr = NULL;
	if (ldns_rr_new_question_frm_str(&qr, qs, NULL, NULL) != LDNS_STATUS_OK)
		abort();
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, qr);
	if (q->edns) {
		ldns_pkt_set_edns_udp_size(p, q->edns);
		ldns_pkt_set_edns_do(p, q->dobit);
	}
	*qw = dns_wire(p, ql);
	make_answer(q->name, q->qt, t, ans);
	char owner[140];
	snprintf(owner, sizeof(owner), "%s.", q->qname);
	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_aa(p, 1);
	ldns_pkt_set_rcode(p, (uint8_t)ans->rcode);
	if (q->edns) {
		ldns_pkt_set_edns_udp_size(p, 1232);
		ldns_pkt_set_edns_do(p, q->dobit);
	}
	for (int i = 0; i < ans->n_an; i++)
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr_str(ans->an[i], owner));
	if (ans->soa[0])
		ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, rr_str(ans->soa, ""));
	*aw = dns_wire(p, al);
	*tc = 0;
	size_t limit = q->edns ? q->edns : 512;
	if (!tcp && *al > limit) { /* RFC 1035 4.2.1, RFC 6891 6.2.5: truncate, set TC */
		free(*aw);
		ldns_rr_list_deep_free(ldns_pkt_answer(p));
		ldns_pkt_set_answer(p, ldns_rr_list_new());
		ldns_pkt_set_ancount(p, 0);
		ldns_rr_list_deep_free(ldns_pkt_authority(p));
		ldns_pkt_set_authority(p, ldns_rr_list_new());
		ldns_pkt_set_nscount(p, 0);
		ldns_pkt_set_tc(p, 1);
		*aw = dns_wire(p, al);
		*tc = 1;
	}
	ldns_pkt_free(p);
}

/* Text-log lines (time prefix added at write time). */
static char *bind_line(const qspec_t *q, int tcp, const mk_addr_t *server)
{
	char src[64], dst[64], flags[32], buf[512];
	mk_addr_str(&q->src, src, sizeof(src));
	mk_addr_str(server, dst, sizeof(dst));
	/* BIND 9 order: recursion, S, E(n), T, D, C */
	snprintf(flags, sizeof(flags), "-%s%s%s", q->edns ? "E(0)" : "", tcp ? "T" : "",
		 q->dobit ? "D" : "");
	uint64_t ptr = 0x7f3a10000000ULL + ((uint64_t)(q->r ? q->r - res : 999) << 8);
	snprintf(buf, sizeof(buf),
		 " queries: info: client @0x%llx %s#%u (%s): query: %s IN %s %s (%s)\n",
		 (unsigned long long)ptr, src, q->sport, q->qname, q->qname, qt_name[q->qt], flags,
		 dst);
	return xstrdup(buf);
}

static void csv_escape_txt(const char *in, char *out, size_t n)
{
	/* ';' and '|' separate answers in the generic CSV: write them as \059 and \124
	 * (RFC 1035 5.1 decimal escapes); '"' doubled for RFC 4180 quoting */
	size_t o = 0;
	for (; *in && o + 6 < n; in++) {
		if (*in == ';')
			o += (size_t)snprintf(out + o, n - o, "\\059");
		else if (*in == '|')
			o += (size_t)snprintf(out + o, n - o, "\\124");
		else if (*in == '"') {
			out[o++] = '"';
			out[o++] = '"';
		} else
			out[o++] = *in;
	}
	out[o] = 0;
}

static char *csv_row(const qspec_t *q, int tcp, const mk_addr_t *server, const answer_t *a,
		     int tc)
{
	char src[64], dst[64], ans[4096] = "", buf[5000];
	mk_addr_str(&q->src, src, sizeof(src));
	mk_addr_str(server, dst, sizeof(dst));
	size_t o = 0;
	if (!tc)
		for (int i = 0; i < a->n_an; i++) {
			/* "%s TTL IN TYPE rdata" -> "TYPE rdata" */
			const char *p = strstr(a->an[i], " IN ");
			char esc[1600];
			csv_escape_txt(p + 4, esc, sizeof(esc));
			o += (size_t)snprintf(ans + o, sizeof(ans) - o, "%s%s", i ? "|" : "", esc);
		}
	snprintf(buf, sizeof(buf), ",%s,%u,%s,53,%u,%s,%s,%s,%s,\"%s\",%s\n", src, q->sport, dst,
		 q->id, tcp ? "tcp" : "udp", q->qname, qt_name[q->qt],
		 a->rcode == 3 ? "NXDOMAIN" : "NOERROR", ans, (a->ttl && !tc) ? "" : "");
	/* the ttl column: written separately to keep the format string readable */
	char *out = xstrdup(buf);
	if (a->ttl && !tc) {
		size_t l = strlen(out);
		char *o2 = malloc(l + 16);
		if (!o2)
			abort();
		snprintf(o2, l + 16, "%.*s%u\n", (int)(l - 1), out, a->ttl);
		free(out);
		out = o2;
	}
	return out;
}

/* One attempt of a query at server s (captured there if the sensor is up; the mirror of
 * ns2 at sensor 3 as well). Returns the time the answer left the server. */
static int64_t attempt(uint32_t li, const qspec_t *q, int s, int64_t t, int extra_flags,
		       int *tc_out)
{
	lookup_t *L = &lk[li];
	mk_addr_t server;
	mk_addr_parse(q->src.v6 ? ns_v6[s] : ns_v4[s], &server);
	uint8_t *qw, *aw;
	size_t ql, al;
	int tc;
	answer_t ans;
	build_msgs(q, t, 0, &qw, &ql, &aw, &al, &tc, &ans);
	*tc_out = tc;
	L->rcode = ans.rcode;
	L->tc |= (uint8_t)tc;
	L->sent |= (uint8_t)(1 << s);
	mk_rng_t *g = &res[q->r ? q->r - res : 0].rng;
	int64_t lat = 60 + (int64_t)mk_rng_below(g, 900);
	int64_t t_ans = t + lat;
	int caps[2] = {-1, -1};
	if (sensor_up(s, t))
		caps[0] = s;
	if (s == 1 && t >= t_mir_s && t < t_mir_e && sensor_up(2, t))
		caps[1] = 2;
	int v6 = q->src.v6 ? P_V6 : 0;
	mk_l4_t l4q = {.sport = q->sport, .dport = 53, .ttl = q->ip_ttl,
		       .ip_id = (uint16_t)mk_rng_u64(g), .mac_src = mac_router, .mac_dst = mac_ns[s]};
	mk_l4_t l4a = {.sport = 53, .dport = q->sport, .ttl = 64, .ip_id = (uint16_t)mk_rng_u64(g),
		       .mac_src = mac_ns[s], .mac_dst = mac_router};
	uint32_t fql, fal;
	uint8_t *fq = mk_frame(&q->src, &server, &l4q, qw, ql, &fql);
	uint8_t *fa = mk_frame(&server, &q->src, &l4a, aw, al, &fal);
	for (int c = 0; c < 2; c++) {
		int cs = caps[c];
		if (cs < 0)
			continue;
		int mir = c == 1 ? P_MIRROR : 0;
		int64_t off = clock_off[cs] + (c == 1 ? 3 : 0);
		char *tq = NULL;
		if (cs == 0)
			tq = bind_line(q, 0, &server);
		else if (cs == 2)
			tq = csv_row(q, 0, &server, &ans, tc);
		uint8_t *fq2 = malloc(fql), *fa2 = malloc(fal);
		if (!fq2 || !fa2)
			abort();
		memcpy(fq2, fq, fql);
		memcpy(fa2, fa, fal);
		push(cs, t + off, fq2, fql, li, (int)(q->r - res), q->name, q->qt,
		     P_QUERY | P_DNS | v6 | mir | extra_flags, 0, tq);
		push(cs, t_ans + off, fa2, fal, li, (int)(q->r - res), q->name, q->qt,
		     P_DNS | v6 | mir | extra_flags, 0, NULL);
	}
	free(fq);
	free(fa);
	free(qw);
	free(aw);
	if (!tc)
		return t_ans;
	/* RFC 7766: retry over TCP at the same server after the truncated answer */
	int64_t rtt = q->r->rtt_us;
	int64_t t0 = t_ans + rtt / 2 + 200; /* client's SYN reaches the server */
	qspec_t qt2 = *q;
	qt2.id = (uint16_t)mk_rng_u64(g);
	qt2.sport = (uint16_t)(32768 + mk_rng_below(g, 28000));
	build_msgs(&qt2, t0, 1, &qw, &ql, &aw, &al, &tc, &ans);
	uint32_t cs0 = (uint32_t)mk_rng_u64(g), ss0 = (uint32_t)mk_rng_u64(g);
	uint8_t *qb = malloc(ql + 2), *ab = malloc(al + 2);
	if (!qb || !ab)
		abort();
	qb[0] = (uint8_t)(ql >> 8), qb[1] = (uint8_t)ql; /* RFC 1035 4.2.2 length prefix */
	memcpy(qb + 2, qw, ql);
	ab[0] = (uint8_t)(al >> 8), ab[1] = (uint8_t)al;
	memcpy(ab + 2, aw, al);
	tcpseg_t seg[8];
	uint32_t cq = (uint32_t)ql + 2, sa = (uint32_t)al + 2;
	int64_t tt = t0;
	int n = 0;
	seg[n++] = (tcpseg_t){1, tt, MK_TCP_SYN, cs0, 0, NULL, 0};
	seg[n++] = (tcpseg_t){0, tt + 40, MK_TCP_SYN | MK_TCP_ACK, ss0, cs0 + 1, NULL, 0};
	seg[n++] = (tcpseg_t){1, tt + rtt, MK_TCP_ACK, cs0 + 1, ss0 + 1, NULL, 0};
	seg[n++] = (tcpseg_t){1, tt + rtt + 30, MK_TCP_PSH | MK_TCP_ACK, cs0 + 1, ss0 + 1,
				    qb, cq};
	int64_t tr = tt + rtt + 30 + lat;
	seg[n++] = (tcpseg_t){0, tr, MK_TCP_PSH | MK_TCP_ACK, ss0 + 1, cs0 + 1 + cq, ab, sa};
	seg[n++] = (tcpseg_t){1, tr + rtt, MK_TCP_FIN | MK_TCP_ACK, cs0 + 1 + cq,
				    ss0 + 1 + sa, NULL, 0};
	seg[n++] = (tcpseg_t){0, tr + rtt + 50, MK_TCP_FIN | MK_TCP_ACK, ss0 + 1 + sa,
				    cs0 + 2 + cq, NULL, 0};
	seg[n++] = (tcpseg_t){1, tr + 2 * rtt + 50, MK_TCP_ACK, cs0 + 2 + cq, ss0 + 2 + sa,
				    NULL, 0};
	for (int c = 0; c < 2; c++) {
		int cs = caps[c];
		if (cs < 0 || !sensor_up(cs, t0))
			continue;
		int mir = c == 1 ? P_MIRROR : 0;
		int64_t off = clock_off[cs] + (c == 1 ? 3 : 0);
		for (int i = 0; i < n; i++) {
			mk_l4_t l4 = {.tcp = 1, .sport = seg[i].from_client ? qt2.sport : 53,
				      .dport = seg[i].from_client ? 53 : qt2.sport,
				      .ttl = seg[i].from_client ? q->ip_ttl : 64,
				      .ip_id = (uint16_t)mk_rng_u64(g), .seq = seg[i].seq,
				      .ack = seg[i].ack, .tcp_flags = seg[i].flags,
				      .mac_src = seg[i].from_client ? mac_router : mac_ns[s],
				      .mac_dst = seg[i].from_client ? mac_ns[s] : mac_router};
			uint32_t fl;
			uint8_t *f = seg[i].from_client
					     ? mk_frame(&q->src, &server, &l4, seg[i].pl, seg[i].plen, &fl)
					     : mk_frame(&server, &q->src, &l4, seg[i].pl, seg[i].plen, &fl);
			int fl2 = P_TCP | v6 | mir | extra_flags;
			if (seg[i].plen)
				fl2 |= P_DNS;
			if (seg[i].plen && seg[i].from_client)
				fl2 |= P_QUERY;
			char *tq = NULL;
			if (seg[i].plen && seg[i].from_client) {
				if (cs == 0)
					tq = bind_line(&qt2, 1, &server);
				else if (cs == 2)
					tq = csv_row(&qt2, 1, &server, &ans, 0);
			}
			push(cs, seg[i].t + off, f, fl, li, (int)(q->r - res), q->name, q->qt, fl2, 0,
			     tq);
		}
	}
	free(qb);
	free(ab);
	free(qw);
	free(aw);
	return tr + rtt;
}

static int pick_server(res_t *r, int exclude)
{
	double tot = 0;
	for (int s = 0; s < N_SENSORS; s++)
		if (s != exclude)
			tot += r->srv_w[s];
	double u = mk_rng_unit(&r->rng) * tot;
	for (int s = 0; s < N_SENSORS; s++) {
		if (s == exclude)
			continue;
		if (u < r->srv_w[s])
			return s;
		u -= r->srv_w[s];
	}
	return exclude == N_SENSORS - 1 ? N_SENSORS - 2 : N_SENSORS - 1;
}

static uint32_t new_lookup(int64_t t, int ri, int ni, int qt, int mode)
{
	if (n_lk == cap_lk) {
		cap_lk = cap_lk ? cap_lk * 2 : 65536;
		lk = realloc(lk, cap_lk * sizeof(lookup_t));
		if (!lk)
			abort();
	}
	lk[n_lk] = (lookup_t){.t = t, .res = ri, .name = ni, .qt = qt, .mode = mode};
	return (uint32_t)n_lk++;
}

/* A resolver's lookup: one query (and a retry at another server if the answer is lost). */
static void do_lookup(res_t *r, int64_t t, int ni, int qt, int mode)
{
	uint32_t li = new_lookup(t, (int)(r - res), ni, qt, mode);
	qspec_t q = {.r = r, .src = r->ip, .ip_ttl = r->ip_ttl, .edns = r->edns, .dobit = r->dobit,
		     .name = ni, .qt = qt};
	snprintf(q.qname, sizeof(q.qname), "%s", names[ni].name);
	if (r->x20)
		apply_x20(q.qname, &r->rng);
	q.id = (uint16_t)mk_rng_u64(&r->rng);
	q.sport = r->fixed_port ? r->port : (uint16_t)(1024 + mk_rng_below(&r->rng, 64500));
	int s = pick_server(r, -1), tc;
	attempt(li, &q, s, t, 0, &tc);
	/* --sessions: the target's queries are retransmitted more often (a lost answer) */
	double loss = opt.sessions && ni == nm_target && r->p_retry > 0 ? r->p_retry : p_loss;
	if (mk_rng_unit(&r->rng) < loss) {
		lk[li].retried = 1;
		int64_t t2 = t + 800000 + (int64_t)mk_rng_below(&r->rng, 400000);
		q.id = (uint16_t)mk_rng_u64(&r->rng);
		if (!r->fixed_port)
			q.sport = (uint16_t)(1024 + mk_rng_below(&r->rng, 64500));
		attempt(li, &q, pick_server(r, s), t2, 0, &tc);
	}
	/* the cache holds the answer for its TTL (RFC 2308 for negative answers) */
	answer_t a;
	make_answer(ni, qt, t, &a);
	r->expiry[ni * NQT + qt] = t + (int64_t)(a.n_an ? a.ttl : NEG_TTL) * US;
}

static double event_mult(int64_t t)
{
	double m = 1.0;
	for (size_t e = 0; e < N_EVENTS; e++)
		if (t >= ev_ws[e] && t < ev_we[e] && ev_mult[e] > m)
			m = ev_mult[e];
	return m;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void pend_push(res_t *r, int64_t t)
{
	if (r->n_pend == r->cap_pend) {
		r->cap_pend = r->cap_pend ? 2 * r->cap_pend : 64;
		r->pend = realloc(r->pend, r->cap_pend * sizeof(*r->pend));
		if (!r->pend)
			abort();
	}
	r->pend[r->n_pend++] = t;
}

/* --sessions: the demand of one session begun at t, as in tools/calibrate/calgen.c: 55 %
 * are a few queries within a minute or two (a mail, a page: 1 + Poisson(1) queries about
 * 40 s apart), 45 % a working session that uses the name every ~5 min for up to 4 h
 * (exponential length, mean 1 h). A working session keeps the cache warm: a run of
 * lookups one TTL apart, which is what makes counts overdispersed. */
static void session(res_t *r, int64_t t)
{
	if (mk_rng_unit(&r->rng) < 0.55) {
		/* Poisson(1) by inversion: P(0) = e^-1 */
		double u = mk_rng_unit(&r->rng), p = 0.36787944117144233, c = p;
		int n = 1;
		for (int k = 1; u > c && k < 20; k++) {
			p /= k;
			c += p;
			n++;
		}
		for (int i = 0; i < n; i++) {
			pend_push(r, t);
			t += (int64_t)(mk_rng_exp(&r->rng, 40.0) * US);
		}
		return;
	}
	double dur = mk_rng_exp(&r->rng, 60.0);
	if (dur > 240)
		dur = 240;
	int64_t end = t + (int64_t)(dur * 60.0 * US);
	while (t <= end) {
		pend_push(r, t);
		t += (int64_t)(mk_rng_exp(&r->rng, 5.0) * 60.0 * US) + US;
	}
}

/* --sessions: the sessions that begin in the hour (rate per hour) and every session query
 * that falls in it, through the cache. */
static void session_hour(res_t *r, int64_t h0, double rate, int active)
{
	int64_t t = h0;
	while (rate > 0) {
		t += (int64_t)(mk_rng_exp(&r->rng, 3600.0 / rate) * US);
		if (t >= h0 + HOUR)
			break;
		session(r, t);
	}
	qsort(r->pend, r->n_pend, sizeof(*r->pend), cmp_i64);
	size_t k = 0;
	for (; k < r->n_pend && r->pend[k] < h0 + HOUR; k++) {
		int64_t tq = r->pend[k];
		int qt = mk_rng_unit(&r->rng) < r->tg_aaaa ? QT_AAAA : QT_A;
		if (tq >= r->expiry[nm_target * NQT + qt])
			do_lookup(r, tq, nm_target, qt, active ? M_PERIODIC : M_SPARSE);
	}
	memmove(r->pend, r->pend + k, (r->n_pend - k) * sizeof(*r->pend));
	r->n_pend -= k;
}

/* One hour of one resolver: background demand and demand for the target, through the cache. */
static void resolver_hour(res_t *r, int64_t h0)
{
	int ri = (int)(r - res);
	int local_h = (int)(((h0 / HOUR) % 24 + 24 + r->tz) % 24);
	int wd = wday(h0 + (int64_t)r->tz * HOUR);
	double wk = (wd == 0 || wd == 6) ? 0.55 : 1.0;
	double lam = r->bg_rate * diurnal[local_h] * wk;
	int64_t t = h0;
	while (lam > 0) {
		t += (int64_t)(mk_rng_exp(&r->rng, 3600.0 / lam) * US);
		if (t >= h0 + HOUR)
			break;
		double u = mk_rng_unit(&r->rng);
		int k = 0;
		while (k < r->n_mix - 1 && r->mix[k].cum <= u)
			k++;
		int ni = r->mix[k].name, qt = r->mix[k].qt;
		if (t >= r->expiry[ni * NQT + qt])
			do_lookup(r, t, ni, qt, M_BG);
	}
	if (r->tg_active <= 0 || (ri <= 1 && h0 >= t_bank_stop))
		return;
	int uh = (int)((h0 / HOUR) % 24);
	int wdu = wday(h0);
	if (opt.zone && r->role != R_OTHER) {
		/* --dst-zone: the bank's and the hospital's office hours in local time */
		size_t hi = (size_t)((h0 - t_begin) / HOUR);
		uh = zl_hour[hi];
		wdu = zl_wday[hi];
	}
	int active = uh >= r->act_from && uh < r->act_to;
	double tl = active ? r->tg_active : r->tg_idle;
	if (wdu == 0 || wdu == 6)
		tl = active ? r->tg_active * r->tg_weekend : r->tg_idle;
	if (r->role == R_BANK1 || r->role == R_BANK2) {
		/* the injected effect: around these events the bank's periodic demand runs
		 * around the clock, and its other demand is multiplied */
		double m = event_mult(h0);
		if (m > 1.0) {
			active = 1;
			tl = r->tg_active;
			if (!(uh >= r->act_from && uh < r->act_to) || wdu == 0 || wdu == 6)
				tl = r->tg_idle * m + r->tg_active * (m - 1.0) / 4.0;
		}
	}
	if (opt.trend != 1.0) /* --trend: 1 at the start of the period, opt.trend at its end */
		tl *= 1.0 + (opt.trend - 1.0) * (double)(h0 - t_begin) / (double)(t_end - t_begin);
	if (opt.sessions) {
		/* a session brings several queries: 0.3 times as many sessions as arrivals */
		session_hour(r, h0, 0.3 * tl, active);
		return;
	}
	t = h0;
	while (tl > 0) {
		t += (int64_t)(mk_rng_exp(&r->rng, 3600.0 / tl) * US);
		if (t >= h0 + HOUR)
			break;
		int qt = mk_rng_unit(&r->rng) < r->tg_aaaa ? QT_AAAA : QT_A;
		if (t >= r->expiry[nm_target * NQT + qt])
			do_lookup(r, t, nm_target, qt, active ? M_PERIODIC : M_SPARSE);
	}
}

/* --bursts: the queries of burst b, each sent whatever the resolver's cache holds (they
 * come from a client or forwarder behind the address, without a cache); the cache is left
 * as it was. */
static void do_burst(const burst_t *b, mk_rng_t *g)
{
	res_t *r = &res[b->res];
	int64_t t[60];
	for (int i = 0; i < b->queries; i++)
		t[i] = b->start + (int64_t)(mk_rng_unit(g) * (double)(b->end - b->start));
	qsort(t, (size_t)b->queries, sizeof(t[0]), cmp_i64);
	int64_t keep = r->expiry[nm_target * NQT + QT_A];
	for (int i = 0; i < b->queries; i++)
		do_lookup(r, t[i], nm_target, QT_A, M_BURST);
	r->expiry[nm_target * NQT + QT_A] = keep;
}

/* ---------------------------------------------------------------- scripted packets */

typedef struct spoof {
	int64_t t;
	int bank; /* resolver index claimed */
	uint32_t lookup;
} spoof_t;

#define N_SPOOF 9
static spoof_t spoofs[N_SPOOF];

static void do_spoof(spoof_t *sp, mk_rng_t *g)
{
	res_t *r = &res[sp->bank];
	sp->lookup = new_lookup(sp->t, sp->bank, nm_target, QT_A, M_SPOOF);
	/* forged: initial TTL 255 over more hops, EDNS 512 without DO, no 0x20 */
	qspec_t q = {.r = r, .src = r->ip, .ip_ttl = 239, .edns = 512, .dobit = 0,
		     .name = nm_target, .qt = QT_A};
	snprintf(q.qname, sizeof(q.qname), "%s", TARGET_NAME);
	q.id = (uint16_t)mk_rng_u64(g);
	q.sport = (uint16_t)(1024 + mk_rng_below(g, 64500));
	int tc;
	attempt(sp->lookup, &q, (int)mk_rng_below(g, N_SENSORS), sp->t, P_SPOOF, &tc);
}

typedef struct mal {
	int64_t t;
	int sensor;
	const char *kind; /* the anomaly tealeaves is expected to report */
	const char *what;
	uint64_t frame;
} mal_t;

static mal_t mals[] = {
	{0, 0, "dns_bad_pointer", "query whose question name is a compression pointer past the end of the message", 0},
	{0, 0, "dns_truncated", "query whose question ends in the middle of a label", 0},
	{0, 1, "dns_short", "UDP payload of 7 bytes, shorter than a DNS header", 0},
	{0, 2, "dns_bad_label", "query whose question uses the reserved label type 0x40", 0},
};
#define N_MAL (sizeof(mals) / sizeof(mals[0]))

static void do_mal(size_t i, mk_rng_t *g)
{
	mal_t *m = &mals[i];
	uint8_t b[64];
	size_t n = 0;
	uint16_t id = (uint16_t)mk_rng_u64(g);
	uint8_t hdr[12] = {(uint8_t)(id >> 8), (uint8_t)id, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
	memcpy(b, hdr, 12);
	n = 12;
	switch (i) {
	case 0: /* pointer to offset 0x1ff, beyond the 18-byte message (RFC 1035 4.1.4) */
		memcpy(b + n, "\xc1\xff\x00\x01\x00\x01", 6);
		n += 6;
		break;
	case 1: /* label of 9 announced, 6 present, message ends */
		memcpy(b + n, "\x05mail1\x09hallwo", 13);
		n += 13;
		break;
	case 2:
		n = 7;
		break;
	case 3: /* 0x40: extended label type, deprecated (RFC 6891 5) */
		memcpy(b + n, "\x40\x03www\x00\x00\x01\x00\x01", 10);
		n += 10;
		break;
	}
	mk_addr_t src, dst;
	mk_addr_parse("203.0.113.201", &src);
	mk_addr_parse(ns_v4[m->sensor], &dst);
	uint16_t sport = (uint16_t)(1024 + mk_rng_below(g, 60000));
	mk_l4_t l4 = {.sport = sport, .dport = 53, .ttl = 47, .ip_id = (uint16_t)mk_rng_u64(g), .mac_src = mac_router,
		      .mac_dst = mac_ns[m->sensor]};
	uint32_t fl;
	uint8_t *f = mk_frame(&src, &dst, &l4, b, n, &fl);
	/* under 12 bytes is no DNS message at all (RFC 1035 4.1.1): not counted as one */
	push(m->sensor, m->t + clock_off[m->sensor], f, fl, UINT32_MAX, -1, -1, 0,
	     P_QUERY | P_MAL | (n >= 12 ? P_DNS : 0), (int)i + 1, NULL);
}

/* ---------------------------------------------------------------- writing */

typedef struct posrec {
	int sensor;
	int text; /* 1: line of the text log */
	uint64_t pos;
	uint32_t lookup;
} posrec_t;

static posrec_t *spos;
static size_t n_spos, cap_spos;

static void add_pos(int s, int text, uint64_t pos, uint32_t li)
{
	if (n_spos == cap_spos) {
		cap_spos = cap_spos ? cap_spos * 2 : 64;
		spos = realloc(spos, cap_spos * sizeof(*spos));
		if (!spos)
			abort();
	}
	spos[n_spos++] = (posrec_t){s, text, pos, li};
}

static int cmp_pkt(const void *a, const void *b)
{
	const pkt_t *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* per-lookup bookkeeping of what was written */
static uint8_t *seen_mask;   /* per lookup: sensors whose capture holds its query */
static uint8_t *seen_cnt;    /* per lookup and sensor: query records in the capture */
static uint64_t succ_first_frame;
static int succ_first_sensor = -1;
static int64_t succ_first_ts;
static uint32_t succ_first_lookup = UINT32_MAX;
static mk_rng_t drop_rng;

static void write_text(int s, const pkt_t *p)
{
	sensor_t *S = &sens[s];
	int y, mo, d, h, mi, se, f;
	civil(p->ts, &y, &mo, &d, &h, &mi, &se, &f);
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (s == 0)
		fprintf(S->txt, "%02d-%s-%04d %02d:%02d:%02d.%03d%s", d, mon[mo - 1], y, h, mi, se,
			f / 1000, p->text);
	else
		fprintf(S->txt, "%lld.%06d%s", (long long)(p->ts / US), (int)(p->ts % US), p->text);
	S->lines++;
}

static void flush(int s, int64_t upto)
{
	sensor_t *S = &sens[s];
	qsort(S->p, S->n, sizeof(pkt_t), cmp_pkt);
	size_t k = 0;
	for (; k < S->n && S->p[k].ts < upto; k++) {
		pkt_t *p = &S->p[k];
		int target = p->name == nm_target || p->name == nm_succ;
		if (s == 1 && !(p->flags & P_TCP) && !(p->flags & P_MAL) && !target &&
		    mk_rng_unit(&drop_rng) < p_drop) {
			S->drops++; /* the sensor's interface dropped it (recorded in the ISB) */
			free(p->frame);
			free(p->text);
			continue;
		}
		S->frames++;
		if (s == 1) {
			mk_pcapng_packet(S->ng, p->ts, p->frame, p->len);
		} else {
			struct pcap_pkthdr h;
			h.ts.tv_sec = (time_t)(p->ts / US);
			h.ts.tv_usec = (suseconds_t)(p->ts % US);
			h.caplen = h.len = p->len;
			pcap_dump((u_char *)S->dump, &h, p->frame);
		}
		if (!S->first_ts)
			S->first_ts = p->ts;
		S->last_ts = p->ts;
		if (p->flags & P_DNS) {
			S->msgs++;
			if (p->flags & P_QUERY)
				S->queries++;
			else
				S->responses++;
			if (p->flags & P_TCP)
				S->tcp++;
			else
				S->udp++;
			if (p->flags & P_V6)
				S->v6++;
			else
				S->v4++;
		}
		if (p->flags & P_MAL)
			mals[p->mal - 1].frame = S->frames;
		if ((p->flags & P_QUERY) && !(p->flags & P_MAL) && p->lookup != UINT32_MAX) {
			seen_mask[p->lookup] |= (uint8_t)(1 << s);
			if (seen_cnt[p->lookup * N_SENSORS + (size_t)s] < UINT8_MAX)
				seen_cnt[p->lookup * N_SENSORS + (size_t)s]++;
			if (p->flags & P_SPOOF)
				add_pos(s, 0, S->frames, p->lookup);
			/* the earliest sighting in true time, whichever file holds it */
			if (p->name == nm_succ &&
			    (succ_first_sensor < 0 ||
			     p->ts - clock_off[s] < succ_first_ts - clock_off[succ_first_sensor])) {
				succ_first_sensor = s;
				succ_first_frame = S->frames;
				succ_first_ts = p->ts;
				succ_first_lookup = p->lookup;
			}
		}
		if (p->text && S->txt) {
			write_text(s, p);
			if (p->flags & P_SPOOF)
				add_pos(s, 1, S->lines, p->lookup);
		}
		free(p->frame);
		free(p->text);
	}
	memmove(S->p, S->p + k, (S->n - k) * sizeof(pkt_t));
	S->n -= k;
}

/* ---------------------------------------------------------------- side files */

static char outdir[4096];

static FILE *open_plain(const char *name)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "mkcase: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static void close_checked(FILE *f, const char *name)
{
	if (mk_out_close(f) != 0) {
		fprintf(stderr, "mkcase: write error on %s\n", name);
		exit(1);
	}
}

static void write_orgs(void)
{
	FILE *f = open_plain("organisations.csv");
	fprintf(f, "cidr,organisation\n");
	for (int o = 0; o < N_ORGS; o++)
		for (int c = 0; c < 4 && orgs[o].cidrs[c]; c++)
			fprintf(f, "%s,%s\n", orgs[o].cidrs[c], orgs[o].name);
	close_checked(f, "organisations.csv");
}

static void write_events(void)
{
	FILE *f = open_plain("events.csv");
	fprintf(f, "start,end,label,category,before,after\n");
	for (size_t e = 0; e < N_EVENTS; e++)
		fprintf(f, "%s,%s,%s,%s,%dh,%dh\n", events[e].start, events[e].end, events[e].label,
			events[e].category, events[e].before_h, events[e].after_h);
	close_checked(f, "events.csv");
}

/* SHA-256 of a file mkcase has written and closed, as lower-case hex. */
static void file_sha256(const char *name, char hex[TL_SHA256_HEX_LEN])
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mkcase: cannot read %s: %s\n", path, strerror(errno));
		exit(1);
	}
	tl_sha256_t *h = tl_sha256_new();
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		tl_sha256_update(h, buf, n);
	if (ferror(f)) {
		fprintf(stderr, "mkcase: read error on %s\n", path);
		exit(1);
	}
	fclose(f);
	uint8_t d[TL_SHA256_LEN];
	tl_sha256_final(h, d);
	tl_sha256_free(h);
	tl_sha256_hex(d, hex);
}

static const char *const eff_name[] = {"sample", "none", "fixed", "ladder"};

/* The options in force, in words, for case.ini's closing comment. */
static void scenario_line(char *out, size_t n)
{
	int k = snprintf(out, n, "%s%s%seffects %s", opt.scenario ? "scenario " : "",
			 opt.scenario ? opt.scenario : "", opt.scenario ? ": " : "",
			 eff_name[opt.effects]);
	if (opt.effects == EFF_FIXED)
		k += snprintf(out + k, n - (size_t)k, " %.4g", opt.effect);
	k += snprintf(out + k, n - (size_t)k, ", rename %s", opt.rename ? "yes" : "no");
	if (opt.trend != 1.0)
		k += snprintf(out + k, n - (size_t)k, ", trend %.4g", opt.trend);
	if (opt.sessions)
		k += snprintf(out + k, n - (size_t)k, ", sessions");
	if (opt.bursts)
		k += snprintf(out + k, n - (size_t)k, ", bursts %d", opt.bursts);
	if (opt.gaps)
		k += snprintf(out + k, n - (size_t)k, ", gaps %d", opt.gaps);
	if (opt.zone)
		snprintf(out + k, n - (size_t)k, ", dst-zone %.40s", opt.zone);
}

/* The case file in the format of docs/case-file.md (read by src/case/case.c through
 * libinih: every line must stay under TL_CASE_MAX_LINE, 198 bytes). Written after the
 * captures are closed, so that it can record their SHA-256. */
static void write_case(uint64_t seed)
{
	char hex[N_SENSORS][TL_SHA256_HEX_LEN];
	for (int s = 0; s < N_SENSORS; s++)
		file_sha256(sensor_file[s], hex[s]);
	FILE *f = open_plain("case.ini");
	fprintf(f,
		"; case.ini - the sample case (synthetic; see README.md), in the format of\n"
		"; docs/case-file.md. Paths are relative to this file. A synthetic case modelled\n"
		"; on the published shape of a 2016 case; every name and address is made up.\n\n"
		"[case]\n"
		"number = SAMPLE-2016-001\n"
		"title = Lookups of %s, May to September 2016\n"
		"exhibit = Three DNS captures of the name servers ns1-ns3 (synthetic)\n"
		"requester = Sample Requester (fictional)\n"
		"examiner = Sample Examiner (fictional)\n"
		"examiner_role = DNS examiner\n"
		"organisation = Sample Forensics Laboratory (fictional)\n"
		"report_date = 2016-10-31\n"
		"timezone = UTC\n"
		"version = 1\n"
		"supplemental = no\n\n"
		"[evidence]\n"
		"; label = path, with the SHA-256 of the file as written by tools/mkcase (the hash\n"
		"; at receipt) and the receipt (chain of custody; all fictional). The sensor number\n"
		"; is the name server it captured (ns1..ns3).\n"
		"; Not listed: sensor1-ns1-queries.log.gz (the BIND query log of ns1) and\n"
		"; sensor3-ns3-pdns.csv.gz (the passive-DNS CSV exported from sensor 3) are other\n"
		"; copies of the same lookups as sensor1 and sensor3. Analysed together with the\n"
		"; captures they would count every lookup twice; they are in samples/ to exercise\n"
		"; the text-log readers (tealeaves inspect, tealeaves records).\n",
		TARGET_NAME);
	/* the receipt of each capture: two came together on one drive, the third later */
	static const char *const received[N_SENSORS] = {"2016-10-03T14:20+03:00",
							"2016-10-03T14:20+03:00", "2016-10-05"};
	static const char *const how[N_SENSORS] = {
		"USB drive in tamper-evident bag 0042, seal intact",
		"USB drive in tamper-evident bag 0042, seal intact",
		"SFTP download from the operator, SHA-256 read out by telephone"};
	for (int s = 0; s < N_SENSORS; s++)
		fprintf(f,
			"sensor%d = %s\nsensor%d.sha256 = %s\nsensor%d.sensor = sensor%d\n"
			"sensor%d.received = %s\n"
			"sensor%d.received_from = Network operations, name server operator (fictional)\n"
			"sensor%d.received_by = Sample Examiner (fictional)\n"
			"sensor%d.received_how = %s\n",
			s + 1, sensor_file[s], s + 1, hex[s], s + 1, s + 1, s + 1, received[s], s + 1,
			s + 1, s + 1, how[s]);
	if (opt.rename)
		fprintf(f,
			"\n[target]\n"
			"; the target and its successor (same address, from 2016-09-27). The address\n"
			"; %s is not listed under ips: with it, every name seen resolving to\n"
			"; that address would count as the target, and the operator's other brands\n"
			"; share it. The names lifecycle still follows the address through the names.\n"
			"names = %s, %s\n\n",
			TARGET_IP, TARGET_NAME, SUCC_NAME);
	else
		fprintf(f,
			"\n[target]\n"
			"; the target; it stays live over the whole period (mkcase --rename no). The\n"
			"; address %s is not listed under ips: the operator's other brands\n"
			"; share it.\n"
			"names = %s\n\n",
			TARGET_IP, TARGET_NAME);
	fprintf(f,
		"[sources]\n"
		"organisations = organisations.csv\n"
		"timezone.АО «Банк Полярный» = %s\n"
		"timezone.Lakeshore Health Partners = %s\n\n"
		"[events]\n"
		"; every row of events.csv gives its own window; these are the defaults for an\n"
		"; empty before or after cell. The windows were fixed before looking at the data.\n"
		"file = events.csv\n"
		"window_before = 12h\n"
		"window_after = 36h\n\n"
		"[analysis]\n"
		"dedup_tolerance = 2s\n"
		"ttl = auto\n"
		"periodic_tolerance = 5m\n"
		"permutations = 10000\n"
		"seed = %llu\n"
		"alpha = 0.05\n"
		"correction = holm\n"
		"baseline_min_lookups = 100\n"
		"gap_threshold = 2h\n"
		"top_k = 2\n\n"
		"[report]\n"
		"template = default\n"
		"language = en\n"
		"draft = no\n",
		opt.zone ? opt.zone : "Europe/Moscow", opt.zone ? opt.zone : "America/New_York",
		(unsigned long long)seed);
	if (opt_any) {
		char line[160];
		scenario_line(line, sizeof(line));
		fprintf(f, "\n; a variant of the sample (ground-truth.json, \"scenario\"):\n; %s\n", line);
	}
	close_checked(f, "case.ini");
}

/* ---------------------------------------------------------------- ground truth */

static json_t *jtime(int64_t us)
{
	char b[40];
	iso(us, b, sizeof(b), 6);
	return json_string(b);
}

static json_t *jratio(double x)
{
	/* fixed 4 decimals so the file does not depend on printf's last digit */
	return json_real((double)(long long)(x * 10000.0 + 0.5) / 10000.0);
}

static const char *org_name(int o)
{
	return o >= 0 ? orgs[o].name : "unattributed";
}

static int is_target_name(int ni)
{
	return ni == nm_target;
}

/* ground-truth.json's "scenario": every option in force and what it did. */
static json_t *scenario_json(void)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", opt.scenario ? json_string(opt.scenario) : json_null());
	json_object_set_new(o, "effects", json_string(eff_name[opt.effects]));
	json_object_set_new(o, "effect_multiplier",
			    opt.effects == EFF_FIXED ? json_real(opt.effect) : json_null());
	json_object_set_new(
		o, "effect_model",
		json_string("the sample's: in an injected event's window (events[].window_start to "
			    "window_end) the bank's two resolvers ask around the clock; outside "
			    "their office hours their target demand per hour is idle * m + active * "
			    "(m - 1) / 4 for the multiplier m, in office hours it is unchanged (it "
			    "already keeps the cache busy). events[].injected_multiplier is m; "
			    "events[].true_rate_ratio is what it did to the lookups"));
	json_object_set_new(o, "rename", json_boolean(opt.rename));
	json_object_set_new(o, "trend_factor", json_real(opt.trend));
	json_object_set_new(o, "sessions", json_boolean(opt.sessions));
	json_object_set_new(o, "office_hours_zone", opt.zone ? json_string(opt.zone) : json_null());
	json_t *a = json_array();
	for (int i = 0; i < opt.bursts; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:o,s:o,s:i}", "source", res[bursts[i].res].ipstr,
				     "organisation", org_name(res[bursts[i].res].org), "start",
				     jtime(bursts[i].start), "end", jtime(bursts[i].end), "queries",
				     bursts[i].queries));
	json_object_set_new(o, "bursts", a);
	a = json_array();
	for (int i = 0; i < opt.gaps; i++)
		json_array_append_new(a, json_pack("{s:i,s:o,s:o}", "sensor", outs[i].sensor + 1,
						   "start", jtime(outs[i].start), "end",
						   jtime(outs[i].end)));
	json_object_set_new(o, "extra_sensor_outages", a);
	return o;
}

static void write_truth(uint64_t seed, int factor)
{
	json_t *root = json_object();
	json_object_set_new(root, "generator", json_string("tools/mkcase"));
	json_object_set_new(root, "synthetic", json_true());
	/* parameters */
	json_t *par = json_object();
	json_object_set_new(par, "seed", json_integer((json_int_t)seed));
	json_object_set_new(par, "large_factor", json_integer(factor));
	json_object_set_new(par, "period_start", jtime(t_begin));
	json_object_set_new(par, "period_end", jtime(t_end));
	json_object_set_new(par, "target_name", json_string(TARGET_NAME));
	json_object_set_new(par, "target_ip", json_string(TARGET_IP));
	json_object_set_new(par, "target_ttl", json_integer(TARGET_TTL));
	json_object_set_new(par, "negative_ttl", json_integer(NEG_TTL));
	json_object_set_new(par, "successor_name", json_string(SUCC_NAME));
	json_object_set_new(par, "response_loss_probability", json_real(p_loss));
	json_object_set_new(par, "sensor2_drop_probability", json_real(p_drop));
	json_object_set_new(par, "bank_target_demand_stops",
			    t_bank_stop == INT64_MAX ? json_null() : jtime(t_bank_stop));
	json_t *ja = json_array();
	for (int s = 0; s < N_SENSORS; s++) {
		json_t *o = json_object();
		json_object_set_new(o, "sensor", json_integer(s + 1));
		json_object_set_new(o, "server_ipv4", json_string(ns_v4[s]));
		json_object_set_new(o, "server_ipv6", json_string(ns_v6[s]));
		json_object_set_new(o, "file", json_string(sensor_file[s]));
		json_object_set_new(o, "clock_offset_seconds", json_real(clock_off[s] / 1e6));
		json_array_append_new(ja, o);
	}
	json_object_set_new(par, "sensors", ja);
	json_t *tsrc = json_array();
	for (int i = 0; i < n_res && res[i].role != R_BG; i++) {
		res_t *r = &res[i];
		json_t *o = json_object();
		json_object_set_new(o, "address", json_string(r->ipstr));
		json_object_set_new(o, "organisation", json_string(org_name(r->org)));
		json_object_set_new(o, "target_rate_active_per_hour", json_real(r->tg_active));
		json_object_set_new(o, "target_rate_idle_per_hour", json_real(r->tg_idle));
		if (opt.zone && r->role != R_OTHER) {
			json_object_set_new(o, "active_hours_local",
					    json_pack("[i,i]", r->act_from, r->act_to));
			json_object_set_new(o, "office_hours_zone", json_string(opt.zone));
		} else
			json_object_set_new(o, "active_hours_utc",
					    json_pack("[i,i]", r->act_from, r->act_to));
		if (opt.sessions)
			json_object_set_new(o, "target_retry_probability", jratio(r->p_retry));
		json_object_set_new(o, "weekend_factor", json_real(r->tg_weekend));
		json_object_set_new(o, "ip_ttl", json_integer(r->ip_ttl));
		json_object_set_new(o, "edns_udp_size", json_integer(r->edns));
		json_object_set_new(o, "do_bit", json_boolean(r->dobit));
		json_object_set_new(o, "case_randomisation_0x20", json_boolean(r->x20));
		json_array_append_new(tsrc, o);
	}
	json_object_set_new(par, "target_sources", tsrc);
	int nbg = 0, nbg6 = 0;
	for (int i = 0; i < n_res; i++)
		if (res[i].role == R_BG) {
			nbg++;
			nbg6 += res[i].ip.v6;
		}
	json_object_set_new(par, "ordinary_resolvers", json_integer(nbg));
	json_object_set_new(par, "ordinary_resolvers_ipv6", json_integer(nbg6));
	json_object_set_new(root, "parameters", par);
	if (opt_any)
		json_object_set_new(root, "scenario", scenario_json());

	/* files */
	json_t *files = json_array();
	for (int s = 0; s < N_SENSORS; s++) {
		sensor_t *S = &sens[s];
		json_t *o = json_object();
		json_object_set_new(o, "file", json_string(sensor_file[s]));
		json_object_set_new(o, "format", json_string(s == 1 ? "pcapng" : "pcap"));
		json_object_set_new(o, "frames", json_integer((json_int_t)S->frames));
		json_object_set_new(o, "messages", json_integer((json_int_t)S->msgs));
		json_object_set_new(o, "queries", json_integer((json_int_t)S->queries));
		json_object_set_new(o, "responses", json_integer((json_int_t)S->responses));
		json_object_set_new(o, "udp", json_integer((json_int_t)S->udp));
		json_object_set_new(o, "tcp", json_integer((json_int_t)S->tcp));
		json_object_set_new(o, "ipv4", json_integer((json_int_t)S->v4));
		json_object_set_new(o, "ipv6", json_integer((json_int_t)S->v6));
		json_object_set_new(o, "first_ts", jtime(S->first_ts));
		json_object_set_new(o, "last_ts", jtime(S->last_ts));
		if (s == 1)
			json_object_set_new(o, "interface_drops", json_integer((json_int_t)S->drops));
		json_array_append_new(files, o);
		if (s != 1) {
			o = json_object();
			json_object_set_new(o, "file", json_string(s == 0 ? BIND_FILE : CSV_FILE));
			json_object_set_new(o, "format", json_string(s == 0 ? "bind" : "csv"));
			json_object_set_new(o, "copy_of", json_string(sensor_file[s]));
			json_object_set_new(o, "lines", json_integer((json_int_t)S->lines + (s == 2)));
			json_array_append_new(files, o);
		}
	}
	json_object_set_new(root, "files", files);

	/* expected anomalies: exactly these, nothing else */
	json_t *an = json_array();
	for (size_t i = 0; i < N_MAL; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "file", json_string(sensor_file[mals[i].sensor]));
		json_object_set_new(o, "frame", json_integer((json_int_t)mals[i].frame));
		json_object_set_new(o, "kind", json_string(mals[i].kind));
		json_object_set_new(o, "time", jtime(mals[i].t));
		json_object_set_new(o, "what", json_string(mals[i].what));
		json_array_append_new(an, o);
	}
	json_object_set_new(root, "anomalies", an);

	/* target lookups: a lookup = a query for the target seen at a sensor (a sighting) */
	uint64_t tot = 0, per_sensor[N_SENSORS] = {0}, uniq = 0, gen = 0, unseen_gap = 0,
		 unseen_out = 0, qtype[NQT] = {0}, rc_nx = 0, periodic = 0, sparse = 0,
		 dup_pairs[N_SENSORS][N_SENSORS] = {{0}}, dup_target = 0, dup_retry = 0,
		 dup_mirror = 0;
	uint64_t *per_res = calloc((size_t)n_res, sizeof(uint64_t));
	uint64_t *per_res_u = calloc((size_t)n_res, sizeof(uint64_t));
	uint64_t per_org[N_ORGS + 1] = {0};
	if (!per_res || !per_res_u)
		abort();
	uint64_t bg_sight = 0, bg_dup = 0, bg_uniq = 0;
	for (size_t i = 0; i < n_lk; i++) {
		lookup_t *L = &lk[i];
		int nb = __builtin_popcount(seen_mask[i]);
		if (!is_target_name(L->name)) {
			if (L->name != nm_succ) {
				bg_sight += (uint64_t)nb;
				bg_uniq += nb > 0;
				bg_dup += nb > 1;
			}
			continue;
		}
		gen++;
		if (!nb) {
			if (in_gap(L->t))
				unseen_gap++;
			else
				unseen_out++;
			continue;
		}
		uniq++;
		/* sightings are query records: a sensor that taps two servers can hold a
		 * query and its retry, two records of one lookup */
		uint64_t nrec = 0;
		for (int s = 0; s < N_SENSORS; s++)
			nrec += seen_cnt[i * N_SENSORS + (size_t)s];
		tot += nrec;
		per_res[L->res] += nrec;
		per_res_u[L->res]++;
		per_org[res[L->res].org >= 0 ? res[L->res].org : N_ORGS] += nrec;
		qtype[L->qt] += nrec;
		if (L->rcode == 3)
			rc_nx += nrec;
		if (L->mode == M_PERIODIC)
			periodic++;
		if (L->mode == M_SPARSE)
			sparse++;
		for (int s = 0; s < N_SENSORS; s++)
			per_sensor[s] += seen_cnt[i * N_SENSORS + (size_t)s];
		if (nb > 1) {
			dup_target++;
			for (int a = 0; a < N_SENSORS; a++)
				for (int b = a + 1; b < N_SENSORS; b++)
					if ((seen_mask[i] & (1 << a)) && (seen_mask[i] & (1 << b)))
						dup_pairs[a][b]++;
			if (L->retried)
				dup_retry++;
			else
				dup_mirror++;
		}
	}
	json_t *tg = json_object();
	json_object_set_new(tg, "definition",
			    json_string("a query for the target name seen at a sensor's capture; "
					"sightings count query records (a sensor tapping two servers can "
					"hold a query and its retry), unique counts each lookup once"));
	json_object_set_new(tg, "sightings", json_integer((json_int_t)tot));
	json_object_set_new(tg, "unique_lookups", json_integer((json_int_t)uniq));
	json_object_set_new(tg, "generated_lookups", json_integer((json_int_t)gen));
	json_object_set_new(tg, "unseen_in_gap", json_integer((json_int_t)unseen_gap));
	json_object_set_new(tg, "unseen_in_sensor_outage_or_not_captured",
			    json_integer((json_int_t)unseen_out));
	json_object_set_new(tg, "by_sensor_sightings",
			    json_pack("{s:I,s:I,s:I}", "sensor1", (json_int_t)per_sensor[0],
				      "sensor2", (json_int_t)per_sensor[1], "sensor3",
				      (json_int_t)per_sensor[2]));
	json_t *bys = json_array();
	for (int i = 0; i < n_res; i++) {
		if (!per_res[i])
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "source", json_string(res[i].ipstr));
		json_object_set_new(o, "organisation", json_string(org_name(res[i].org)));
		json_object_set_new(o, "sightings", json_integer((json_int_t)per_res[i]));
		json_object_set_new(o, "unique", json_integer((json_int_t)per_res_u[i]));
		json_object_set_new(o, "share_of_sightings", jratio((double)per_res[i] / (double)tot));
		json_object_set_new(o, "share_of_unique", jratio((double)per_res_u[i] / (double)uniq));
		json_array_append_new(bys, o);
	}
	json_object_set_new(tg, "by_source", bys);
	json_t *byo = json_array();
	for (int o = 0; o <= N_ORGS; o++) {
		if (!per_org[o])
			continue;
		json_t *x = json_object();
		json_object_set_new(x, "organisation", json_string(o < N_ORGS ? orgs[o].name : "unattributed"));
		json_object_set_new(x, "sightings", json_integer((json_int_t)per_org[o]));
		json_object_set_new(x, "share_of_sightings", jratio((double)per_org[o] / (double)tot));
		json_array_append_new(byo, x);
	}
	json_object_set_new(tg, "by_organisation", byo);
	json_object_set_new(tg, "by_qtype_sightings",
			    json_pack("{s:I,s:I,s:I,s:I}", "A", (json_int_t)qtype[0], "AAAA",
				      (json_int_t)qtype[1], "MX", (json_int_t)qtype[2], "TXT",
				      (json_int_t)qtype[3]));
	json_object_set_new(tg, "nxdomain_sightings", json_integer((json_int_t)rc_nx));
	json_object_set_new(tg, "bank_and_hospital_unique_from_active_hours_demand",
			    json_integer((json_int_t)periodic));
	json_object_set_new(tg, "bank_and_hospital_unique_from_idle_hours_demand",
			    json_integer((json_int_t)sparse));
	json_t *dup = json_object();
	json_object_set_new(dup, "unique_lookups_seen_by_more_than_one_sensor",
			    json_integer((json_int_t)dup_target));
	json_object_set_new(dup, "by_retry_after_lost_answer", json_integer((json_int_t)dup_retry));
	json_object_set_new(dup, "by_sensor3_mirror_of_ns2", json_integer((json_int_t)dup_mirror));
	json_object_set_new(dup, "pairs", json_pack("{s:I,s:I,s:I}", "sensor1+sensor2",
						       (json_int_t)dup_pairs[0][1], "sensor1+sensor3",
						       (json_int_t)dup_pairs[0][2], "sensor2+sensor3",
						       (json_int_t)dup_pairs[1][2]));
	json_object_set_new(tg, "duplicates", dup);
	/* hourly periodicity measured on the unique lookups of each bank resolver */
	json_t *per = json_array();
	for (int b = 0; b < 3; b++) {
		int64_t prev = -1;
		uint64_t hourly = 0, inside = 0, other = 0;
		for (size_t i = 0; i < n_lk; i++) {
			lookup_t *L = &lk[i];
			if (L->res != b || !is_target_name(L->name) || !seen_mask[i])
				continue;
			if (prev >= 0) {
				int64_t d = L->t - prev;
				if (d < (int64_t)TARGET_TTL * US)
					inside++;
				else if (d <= (int64_t)(TARGET_TTL + 300) * US)
					hourly++;
				else
					other++;
			}
			prev = L->t;
		}
		json_t *o = json_object();
		json_object_set_new(o, "source", json_string(res[b].ipstr));
		json_object_set_new(o, "intervals_3600_to_3900_s", json_integer((json_int_t)hourly));
		json_object_set_new(o, "intervals_over_3900_s", json_integer((json_int_t)other));
		json_object_set_new(o, "intervals_under_ttl", json_integer((json_int_t)inside));
		json_array_append_new(per, o);
	}
	json_object_set_new(tg, "periodicity_true_times", per);
	json_object_set_new(root, "target", tg);

	json_t *bg = json_object();
	json_object_set_new(bg, "sightings_other_names", json_integer((json_int_t)bg_sight));
	json_object_set_new(bg, "unique_lookups_other_names", json_integer((json_int_t)bg_uniq));
	json_object_set_new(bg, "unique_seen_by_more_than_one_sensor", json_integer((json_int_t)bg_dup));
	/* per name: unique lookups, distinct sources, top source share (baselines) */
	json_t *pn = json_array();
	int *srcs = calloc((size_t)n_res, sizeof(int));
	if (!srcs)
		abort();
	for (int ni = 0; ni < n_names; ni++) {
		memset(srcs, 0, (size_t)n_res * sizeof(int));
		uint64_t u = 0, nx = 0;
		for (size_t i = 0; i < n_lk; i++)
			if (lk[i].name == ni && seen_mask[i] && lk[i].mode != M_SPOOF) {
				u++;
				srcs[lk[i].res]++;
				nx += lk[i].rcode == 3;
			}
		int distinct = 0, top = 0, topi = 0;
		for (int i = 0; i < n_res; i++) {
			distinct += srcs[i] > 0;
			if (srcs[i] > top)
				top = srcs[i], topi = i;
		}
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(names[ni].name));
		json_object_set_new(o, "address", names[ni].ip[0] ? json_string(names[ni].ip) : json_null());
		json_object_set_new(o, "unique_lookups", json_integer((json_int_t)u));
		json_object_set_new(o, "nxdomain", json_integer((json_int_t)nx));
		json_object_set_new(o, "distinct_sources", json_integer(distinct));
		json_object_set_new(o, "top_source", u ? json_string(res[topi].ipstr) : json_null());
		json_object_set_new(o, "top_source_share", jratio(u ? (double)top / (double)u : 0));
		json_array_append_new(pn, o);
	}
	free(srcs);
	json_object_set_new(bg, "per_name", pn);
	json_object_set_new(root, "names", bg);

	/* events: bank unique target lookups in each window against what the hours of the
	 * week outside every window predict (so weekday and hour-of-day patterns cancel) */
	json_t *ev = json_array();
	int64_t p_end = t_rename < t_end ? t_rename : t_end;
	double sl_n[168] = {0}, sl_h[168] = {0}, sl_ns[168] = {0}, sl_hc[168] = {0};
	for (int64_t h = t_begin; h < p_end; h += HOUR) {
		int inw = 0;
		for (size_t e = 0; e < N_EVENTS; e++)
			inw |= h >= ev_ws[e] && h < ev_we[e];
		if (inw)
			continue;
		int sl = wday(h) * 24 + (int)((h / HOUR) % 24);
		sl_h[sl] += 1;
		sl_hc[sl] += !in_gap(h);
	}
	for (size_t i = 0; i < n_lk; i++) {
		lookup_t *L = &lk[i];
		if (L->res > 1 || !is_target_name(L->name) || L->mode == M_SPOOF ||
		    L->mode == M_BURST || L->t >= p_end)
			continue;
		int inw = 0;
		for (size_t e = 0; e < N_EVENTS; e++)
			inw |= L->t >= ev_ws[e] && L->t < ev_we[e];
		if (inw)
			continue;
		int sl = wday(L->t) * 24 + (int)((L->t / HOUR) % 24);
		sl_n[sl] += 1;
		sl_ns[sl] += seen_mask[i] != 0;
	}
	for (size_t e = 0; e < N_EVENTS; e++) {
		double n = 0, ns = 0, hrs = 0, hc = 0, exp_n = 0, exp_ns = 0;
		for (int64_t h = ev_ws[e]; h < ev_we[e]; h += HOUR) {
			if (h < t_begin || h >= p_end)
				continue;
			int sl = wday(h) * 24 + (int)((h / HOUR) % 24);
			hrs += 1;
			exp_n += sl_h[sl] > 0 ? sl_n[sl] / sl_h[sl] : 0;
			if (!in_gap(h)) {
				hc += 1;
				exp_ns += sl_hc[sl] > 0 ? sl_ns[sl] / sl_hc[sl] : 0;
			}
		}
		for (size_t i = 0; i < n_lk; i++) {
			lookup_t *L = &lk[i];
			if (L->res > 1 || !is_target_name(L->name) || L->mode == M_SPOOF ||
			    L->mode == M_BURST || L->t >= p_end)
				continue;
			if (L->t >= ev_ws[e] && L->t < ev_we[e]) {
				n += 1;
				ns += seen_mask[i] != 0;
			}
		}
		json_t *o = json_object();
		json_object_set_new(o, "label", json_string(events[e].label));
		json_object_set_new(o, "window_start", jtime(ev_ws[e]));
		json_object_set_new(o, "window_end", jtime(ev_we[e]));
		json_object_set_new(o, "injected_effect", json_boolean(ev_mult[e] > 1.0));
		json_object_set_new(o, "injected_multiplier", json_real(ev_mult[e]));
		json_object_set_new(o, "window_hours_before_rename", json_real(hrs));
		json_object_set_new(o, "window_hours_with_data", json_real(hc));
		json_object_set_new(o, "bank_lookups_generated", json_real(n));
		json_object_set_new(o, "bank_lookups_expected_generated", jratio(exp_n));
		json_object_set_new(o, "bank_lookups_seen", json_real(ns));
		json_object_set_new(o, "bank_lookups_expected_seen", jratio(exp_ns));
		json_object_set_new(o, "true_rate_ratio", exp_n > 0 ? jratio(n / exp_n) : json_null());
		json_object_set_new(o, "seen_rate_ratio", exp_ns > 0 ? jratio(ns / exp_ns) : json_null());
		json_array_append_new(ev, o);
	}
	json_t *evo = json_object();
	json_object_set_new(evo, "measure",
			    json_string("bank unique target lookups (both resolvers, spoofed queries "
					"excluded) in the window, 4 May to the rename, divided by the "
					"number expected from the same hours of the week outside every "
					"window; 'seen' counts only lookups some sensor captured and "
					"hours outside the whole-data gap"));
	if (opt_any)
		json_object_set_new(evo, "measure_in_this_scenario",
				    json_string("as above; without a rename, to the end of the "
						"period; queries of bursts excluded like spoofed "
						"ones; with a trend the expected count is the "
						"period's average, so the ratios drift with the "
						"trend"));
	json_object_set_new(evo, "events", ev);
	json_object_set_new(root, "events", evo);

	/* integrity */
	json_t *in = json_object();
	json_object_set_new(in, "whole_data_gap", json_pack("{s:o,s:o}", "start", jtime(t_gap_s), "end", jtime(t_gap_e)));
	json_object_set_new(in, "sensor_outage",
			    json_pack("{s:i,s:o,s:o,s:f}", "sensor", 2, "start", jtime(t_out_s), "end",
				      jtime(t_out_e), "hours", (double)(t_out_e - t_out_s) / HOUR));
	json_object_set_new(in, "sensor3_mirrors_ns2",
			    json_pack("{s:o,s:o}", "start", jtime(t_mir_s), "end", jtime(t_mir_e)));
	json_t *co = json_object();
	for (int s = 0; s < N_SENSORS; s++) {
		char k[32];
		snprintf(k, sizeof(k), "sensor%d", s + 1);
		json_object_set_new(co, k, json_real(clock_off[s] / 1e6));
	}
	json_object_set_new(in, "clock_offset_seconds_vs_utc", co);
	json_object_set_new(in, "sensor2_interface_drops", json_integer((json_int_t)sens[1].drops));
	json_object_set_new(root, "integrity", in);

	/* lifecycle */
	json_t *lc = json_object();
	json_object_set_new(lc, "target_nxdomain_from",
			    t_rename == INT64_MAX ? json_null() : jtime(t_rename));
	json_object_set_new(lc, "successor_created",
			    t_succ == INT64_MAX ? json_null() : jtime(t_succ));
	json_object_set_new(lc, "successor_address", json_string(TARGET_IP));
	if (succ_first_lookup != UINT32_MAX) {
		lookup_t *L = &lk[succ_first_lookup];
		json_object_set_new(lc, "successor_first_querier", json_string(res[L->res].ipstr));
		json_object_set_new(lc, "successor_first_querier_organisation",
				    json_string(org_name(res[L->res].org)));
		json_object_set_new(lc, "successor_first_seen", jtime(succ_first_ts));
		json_object_set_new(lc, "successor_first_file", json_string(sensor_file[succ_first_sensor]));
		json_object_set_new(lc, "successor_first_frame", json_integer((json_int_t)succ_first_frame));
	}
	uint64_t succ_u = 0, succ_bank = 0;
	for (size_t i = 0; i < n_lk; i++)
		if (lk[i].name == nm_succ && seen_mask[i]) {
			succ_u++;
			succ_bank += lk[i].res <= 1;
		}
	json_object_set_new(lc, "successor_unique_lookups", json_integer((json_int_t)succ_u));
	json_object_set_new(lc, "successor_unique_lookups_bank", json_integer((json_int_t)succ_bank));
	int64_t last_ok = 0, first_nx = 0;
	for (size_t i = 0; i < n_lk; i++)
		if (is_target_name(lk[i].name) && seen_mask[i]) {
			/* lookups are stored day by day, resolver by resolver: take the
			 * latest success and the earliest failure in time */
			if (lk[i].rcode == 0 && lk[i].t > last_ok)
				last_ok = lk[i].t;
			else if (lk[i].rcode != 0 && (!first_nx || lk[i].t < first_nx))
				first_nx = lk[i].t;
		}
	json_object_set_new(lc, "target_last_noerror_lookup", jtime(last_ok));
	json_object_set_new(lc, "target_first_nxdomain_lookup",
			    first_nx ? jtime(first_nx) : json_null());
	json_object_set_new(root, "lifecycle", lc);

	/* spoofed queries */
	json_t *sp = json_array();
	for (int i = 0; i < N_SPOOF; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "time", jtime(spoofs[i].t));
		json_object_set_new(o, "claimed_source", json_string(res[spoofs[i].bank].ipstr));
		json_object_set_new(o, "ip_ttl", json_integer(239));
		json_object_set_new(o, "edns_udp_size", json_integer(512));
		json_object_set_new(o, "do_bit", json_false());
		json_object_set_new(o, "case_randomisation_0x20", json_false());
		json_t *pos = json_array();
		for (size_t k = 0; k < n_spos; k++) {
			if (spos[k].lookup != spoofs[i].lookup)
				continue;
			const char *f = spos[k].text ? (spos[k].sensor == 0 ? BIND_FILE : CSV_FILE)
						     : sensor_file[spos[k].sensor];
			json_array_append_new(pos, json_pack("{s:s,s:s,s:I}", "file", f, "unit",
							     spos[k].text ? "line" : "frame", "pos",
							     (json_int_t)spos[k].pos));
		}
		json_object_set_new(o, "positions", pos);
		json_array_append_new(sp, o);
	}
	json_object_set_new(root, "spoofed_queries", sp);

	char path[4200];
	snprintf(path, sizeof(path), "%s/ground-truth.json", outdir);
	if (json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) != 0) {
		fprintf(stderr, "mkcase: cannot write %s\n", path);
		exit(1);
	}
	/* json_dump_file writes no final newline */
	FILE *f = fopen(path, "ab");
	if (f) {
		fputc('\n', f);
		fclose(f);
	}
	json_decref(root);
	free(per_res);
	free(per_res_u);
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr,
		"usage: mkcase [--seed N] [--large FACTOR] [scenario options] OUTDIR\n"
		"Writes the sample case (samples/) into OUTDIR. Without scenario options the\n"
		"output is the sample, byte for byte. Scenario options (for the calibration on\n"
		"full cases, tools/calibrate/fullcases.sh; ground-truth.json states them):\n"
		"  --effect X        every injected event (the sample's three) has multiplier X\n"
		"                    (1 <= X <= 20) instead of the sample's 2.5, 3 and 2\n"
		"  --no-effects      no event has an effect\n"
		"  --rename yes|no   whether the target is retired on 2016-09-23 and its\n"
		"                    successor appears (yes, the sample) or it stays live (no)\n"
		"  --trend F         target demand times a factor rising linearly from 1 at the\n"
		"                    start of the period to F at its end (0.1 <= F <= 10)\n"
		"  --sessions        target demand in sessions (most a few queries, some working\n"
		"                    sessions of up to 4 h) and a retry probability of 2-15 %%\n"
		"                    per source: overdispersed counts\n"
		"  --bursts N        N one-off bursts of 15-60 target queries within 0.5-4 h from\n"
		"                    one address at random times, not through its cache (N <= %d)\n"
		"  --gaps N          N more sensor outages of 30 min to 3 days (log-uniform), each\n"
		"                    at a random sensor and time (N <= %d)\n"
		"  --dst-zone ZONE   the bank's (09-19) and the hospital's (08-18) office hours in\n"
		"                    ZONE's local time with its daylight saving (tzdata); the\n"
		"                    period holds a switch for e.g. America/Santiago (May 15, Aug\n"
		"                    14 2016), not for US or EU zones\n"
		"  --scenario NAME   the options of a calibration scenario (explicit options\n"
		"                    override them); effects-* give the injected events 1.5, 2\n"
		"                    and 3 in an order drawn from the seed:\n",
		MAX_EXTRA, MAX_EXTRA);
	for (size_t i = 0; i < N_MK_SCENARIOS; i++)
		fprintf(stderr, "      %-16s %s\n", mk_scenarios[i].name, mk_scenarios[i].what);
	fprintf(stderr, "  --fast            gzip level 1 (same contents, other bytes; faster)\n");
	exit(1);
}

/* Checked number parsing: the whole argument, within [lo, hi]. */
static double arg_num(const char *s, double lo, double hi, const char *what)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi)) {
		fprintf(stderr, "mkcase: %s: '%s' is not a number from %g to %g\n", what, s, lo, hi);
		usage();
	}
	return v;
}

static int arg_int(const char *s, int lo, int hi, const char *what)
{
	double v = arg_num(s, lo, hi, what);
	if (v != (double)(int)v) {
		fprintf(stderr, "mkcase: %s: '%s' is not a whole number\n", what, s);
		usage();
	}
	return (int)v;
}

/* Draws what the options leave to chance, from the seed only, on streams of their own
 * (the sample's draws are untouched): the order of the effect ladder, the bursts and the
 * outages. Fills the zone's hour table. */
static void setup_scenario(uint64_t seed)
{
	mk_rng_t g;
	mk_rng_seed(&g, seed, 8080);
	size_t inj[N_EVENTS], n_inj = 0;
	for (size_t e = 0; e < N_EVENTS; e++) {
		ev_mult[e] = events[e].mult;
		if (events[e].mult > 1.0)
			inj[n_inj++] = e;
	}
	if (opt.effects == EFF_LADDER) {
		/* Fisher-Yates over the injected events, then 1.5, 2, 3, 1.5, ... */
		for (size_t i = n_inj; i > 1; i--) {
			size_t j = mk_rng_below(&g, (uint32_t)i);
			size_t x = inj[i - 1];
			inj[i - 1] = inj[j];
			inj[j] = x;
		}
		static const double ladder[3] = {1.5, 2.0, 3.0};
		for (size_t i = 0; i < n_inj; i++)
			ev_mult[inj[i]] = ladder[i % 3];
	}
	for (size_t i = 0; i < n_inj; i++)
		if (opt.effects == EFF_NONE)
			ev_mult[inj[i]] = 1.0;
		else if (opt.effects == EFF_FIXED)
			ev_mult[inj[i]] = opt.effect;
	if (!opt.rename)
		t_rename = t_succ = t_bank_stop = INT64_MAX;
	mk_rng_seed(&g, seed, 8081);
	for (int i = 0; i < opt.bursts; i++) {
		burst_t *b = &bursts[i];
		b->res = (int)mk_rng_below(&g, (uint32_t)n_res);
		int64_t len = (int64_t)((0.5 + 3.5 * mk_rng_unit(&g)) * HOUR);
		b->start = t_begin + (int64_t)(mk_rng_unit(&g) * (double)(t_end - t_begin - len));
		b->end = b->start + len;
		b->queries = 15 + (int)mk_rng_below(&g, 46);
	}
	mk_rng_seed(&burst_rng, seed, 8084);
	mk_rng_seed(&g, seed, 8082);
	for (int i = 0; i < opt.gaps; i++) {
		outage_t *o = &outs[i];
		o->sensor = (int)mk_rng_below(&g, N_SENSORS);
		/* 30 min * 144^u: 30 min to 3 days, log-uniform */
		double mins = 30.0 * mk_exp(mk_rng_unit(&g) * mk_log(144.0));
		int64_t len = (int64_t)(mins * 60.0) * US;
		o->start = t_begin + (int64_t)(mk_rng_unit(&g) * (double)(t_end - t_begin - len));
		o->start -= o->start % (60 * US);
		o->end = o->start + len;
	}
	if (opt.sessions) {
		mk_rng_seed(&g, seed, 8083);
		for (int i = 0; i < n_res; i++)
			if (res[i].tg_active > 0)
				res[i].p_retry = 0.02 + 0.13 * mk_rng_unit(&g);
	}
	if (opt.zone) {
		size_t nh = (size_t)((t_end - t_begin) / HOUR);
		zl_hour = malloc(nh);
		zl_wday = malloc(nh);
		if (!zl_hour || !zl_wday)
			abort();
		for (size_t h = 0; h < nh; h++) {
			tl_civil_t c;
			if (tl_tz_civil(opt.zone, t_begin + (int64_t)h * HOUR, &c) != 0) {
				fprintf(stderr, "mkcase: --dst-zone: cannot convert to %s\n", opt.zone);
				exit(1);
			}
			zl_hour[h] = (uint8_t)c.hour;
			zl_wday[h] = (uint8_t)((c.weekday + 1) % 7); /* Monday 0 -> Sunday 0 */
		}
		/* office hours in local time: the sample's UTC hours are these in Moscow
		 * (UTC+3) and New York (EDT, UTC-4) */
		for (int i = 0; i < n_res; i++)
			if (res[i].role == R_BANK1 || res[i].role == R_BANK2)
				res[i].act_from = 9, res[i].act_to = 19;
			else if (res[i].role == R_HOSP)
				res[i].act_from = 8, res[i].act_to = 18;
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = 20160504;
	int factor = 1;
	const char *dir = NULL;
	/* explicit options, applied over a --scenario's whatever their order */
	int set_eff = -1, set_rename = -1, set_sessions = 0, set_bursts = -1, set_gaps = -1;
	double set_effect = 0, set_trend = -1;
	const char *set_zone = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--seed") && v)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(a, "--large") && v)
			factor = atoi(argv[++i]);
		else if (!strcmp(a, "--effect") && v) {
			set_effect = arg_num(v, 1.0, 20.0, "--effect");
			set_eff = EFF_FIXED;
			i++;
		} else if (!strcmp(a, "--no-effects"))
			set_eff = EFF_NONE;
		else if (!strcmp(a, "--rename") && v) {
			if (strcmp(v, "yes") && strcmp(v, "no")) {
				fprintf(stderr, "mkcase: --rename: yes or no, not '%s'\n", v);
				usage();
			}
			set_rename = !strcmp(v, "yes");
			i++;
		} else if (!strcmp(a, "--trend") && v) {
			set_trend = arg_num(v, 0.1, 10.0, "--trend");
			i++;
		} else if (!strcmp(a, "--sessions"))
			set_sessions = 1;
		else if (!strcmp(a, "--bursts") && v) {
			set_bursts = arg_int(v, 0, MAX_EXTRA, "--bursts");
			i++;
		} else if (!strcmp(a, "--gaps") && v) {
			set_gaps = arg_int(v, 0, MAX_EXTRA, "--gaps");
			i++;
		} else if (!strcmp(a, "--dst-zone") && v) {
			if (!tl_tz_valid(v)) {
				fprintf(stderr, "mkcase: --dst-zone: no zone '%s' in tzdata\n", v);
				usage();
			}
			set_zone = v;
			i++;
		} else if (!strcmp(a, "--scenario") && v) {
			size_t k = 0;
			while (k < N_MK_SCENARIOS && strcmp(mk_scenarios[k].name, v))
				k++;
			if (k == N_MK_SCENARIOS) {
				fprintf(stderr, "mkcase: --scenario: no scenario '%s'\n", v);
				usage();
			}
			const mk_scenario_t *sc = &mk_scenarios[k];
			opt.scenario = sc->name;
			opt.effects = sc->effects;
			opt.rename = sc->rename;
			opt.sessions = sc->sessions;
			opt.bursts = sc->bursts;
			opt.gaps = sc->gaps;
			opt.trend = sc->trend;
			opt.zone = sc->zone;
			i++;
		} else if (!strcmp(a, "--fast"))
			opt.fast = 1;
		else if (a[0] == '-' || dir)
			usage();
		else
			dir = a;
	}
	if (!dir || factor < 1 || factor > 1000)
		usage();
	if (set_eff >= 0)
		opt.effects = set_eff, opt.effect = set_effect;
	if (set_rename >= 0)
		opt.rename = set_rename;
	if (set_trend >= 0)
		opt.trend = set_trend;
	if (set_sessions)
		opt.sessions = 1;
	if (set_bursts >= 0)
		opt.bursts = set_bursts;
	if (set_gaps >= 0)
		opt.gaps = set_gaps;
	if (set_zone)
		opt.zone = set_zone;
	opt_any = opt.scenario || opt.effects != EFF_SAMPLE || !opt.rename || opt.trend != 1.0 ||
		  opt.sessions || opt.bursts || opt.gaps || opt.zone;
	if (opt.fast)
		mk_gz_level = 1;
	snprintf(outdir, sizeof(outdir), "%s", dir);
	mkdir(outdir, 0777);

	t_begin = T(2016, 5, 4, 0, 0, 0);
	t_end = T(2016, 10, 1, 0, 0, 0);
	t_rename = T(2016, 9, 23, 11, 20, 0);
	t_succ = T(2016, 9, 27, 7, 30, 0);
	t_bank_stop = T(2016, 9, 25, 0, 0, 0);
	t_out_s = T(2016, 6, 8, 6, 0, 0);
	t_out_e = T(2016, 6, 9, 18, 0, 0);
	t_gap_s = T(2016, 7, 23, 0, 0, 0);
	t_gap_e = T(2016, 7, 25, 0, 0, 0);
	t_mir_s = T(2016, 8, 15, 0, 0, 0);
	t_mir_e = T(2016, 8, 29, 0, 0, 0);
	for (size_t e = 0; e < N_EVENTS; e++) {
		int64_t s = parse_iso(events[e].start), en = parse_iso(events[e].end);
		if (en == INT64_MIN)
			en = s;
		ev_ws[e] = s - (int64_t)events[e].before_h * HOUR;
		ev_we[e] = en + (int64_t)events[e].after_h * HOUR;
		if (ev_we[e] == ev_ws[e])
			ev_we[e] += HOUR;
	}
	build_names(seed);
	build_resolvers(seed, factor);
	setup_scenario(seed);
	mk_rng_seed(&drop_rng, seed, 4242);

	/* scripted: spoofs (September, before the rename), successor lookups, malformed */
	mk_rng_t g;
	mk_rng_seed(&g, seed, 31337);
	for (int i = 0; i < N_SPOOF; i++) {
		int day = 2 + i * 2;
		int hh = 7 + (int)mk_rng_below(&g, 8);
		int mm = (int)mk_rng_below(&g, 60);
		int ss = (int)mk_rng_below(&g, 60);
		spoofs[i].t = T(2016, 9, day, hh, mm, ss);
		spoofs[i].t += mk_rng_below(&g, 1000000);
		spoofs[i].bank = i % 2;
	}
	static const struct {
		int d, h, m, s, res;
	} succ_script[] = {
		{27, 9, 47, 13, 0}, {27, 10, 2, 41, 1}, {27, 10, 51, 5, 0}, {27, 11, 9, 30, 1},
		{27, 13, 15, 2, 0}, {28, 8, 3, 44, 1},  {28, 14, 22, 10, 3}, {29, 16, 40, 0, 2},
	};
	mals[0].t = T(2016, 6, 2, 3, 14, 7) + 250113;
	mals[1].t = T(2016, 8, 3, 21, 40, 55) + 93001;
	mals[2].t = T(2016, 7, 12, 11, 2, 31) + 500000;
	mals[3].t = T(2016, 9, 9, 17, 25, 0) + 777;

	/* outputs */
	char path[4200];
	for (int s = 0; s < N_SENSORS; s++) {
		snprintf(path, sizeof(path), "%s/%s", outdir, sensor_file[s]);
		if (s == 1) {
			sens[s].ng = mk_out_open(path, 1);
			if (!sens[s].ng)
				goto werr;
			mk_pcapng_header(sens[s].ng, "span0",
					 "SPAN port of ns2.copperline-dns.example (synthetic)");
			continue;
		}
		sens[s].pd = pcap_open_dead(DLT_EN10MB, 65535);
		FILE *f = mk_out_open(path, s == 2);
		if (!f)
			goto werr;
		sens[s].dump = pcap_dump_fopen(sens[s].pd, f);
		if (!sens[s].dump)
			goto werr;
	}
	snprintf(path, sizeof(path), "%s/%s", outdir, BIND_FILE);
	sens[0].txt = mk_out_open(path, BIND_GZ);
	snprintf(path, sizeof(path), "%s/%s", outdir, CSV_FILE);
	sens[2].txt = mk_out_open(path, CSV_GZ);
	if (!sens[0].txt || !sens[2].txt)
		goto werr;
	fprintf(sens[2].txt,
		"timestamp,client,client_port,server,server_port,id,transport,qname,qtype,rcode,"
		"answers,ttl\n");

	for (int64_t d0 = t_begin; d0 < t_end; d0 += DAY) {
		for (int ri = 0; ri < n_res; ri++)
			for (int64_t h0 = d0; h0 < d0 + DAY; h0 += HOUR)
				resolver_hour(&res[ri], h0);
		for (int i = 0; i < N_SPOOF; i++)
			if (spoofs[i].t >= d0 && spoofs[i].t < d0 + DAY)
				do_spoof(&spoofs[i], &g);
		for (int i = 0; i < opt.bursts; i++)
			if (bursts[i].start >= d0 && bursts[i].start < d0 + DAY)
				do_burst(&bursts[i], &burst_rng);
		for (size_t i = 0; opt.rename && i < sizeof(succ_script) / sizeof(succ_script[0]);
		     i++) {
			int64_t t = T(2016, 9, succ_script[i].d, succ_script[i].h, succ_script[i].m,
				      succ_script[i].s) + 204000;
			if (t >= d0 && t < d0 + DAY)
				do_lookup(&res[succ_script[i].res], t, nm_succ, QT_A, M_SCRIPT);
		}
		for (size_t i = 0; i < N_MAL; i++)
			if (mals[i].t >= d0 && mals[i].t < d0 + DAY)
				do_mal(i, &g);
		seen_mask = realloc(seen_mask, cap_lk ? cap_lk : 1);
		if (!seen_mask)
			abort();
		seen_cnt = realloc(seen_cnt, (cap_lk ? cap_lk : 1) * N_SENSORS);
		if (!seen_cnt)
			abort();
		static size_t zeroed;
		memset(seen_mask + zeroed, 0, n_lk - zeroed);
		memset(seen_cnt + zeroed * N_SENSORS, 0, (n_lk - zeroed) * N_SENSORS);
		zeroed = n_lk;
		for (int s = 0; s < N_SENSORS; s++)
			flush(s, d0 + DAY - 60 * US);
	}
	for (int s = 0; s < N_SENSORS; s++)
		flush(s, INT64_MAX);

	mk_pcapng_stats(sens[1].ng, sens[1].last_ts, sens[1].first_ts, sens[1].last_ts,
			sens[1].frames + sens[1].drops, sens[1].drops);
	if (mk_out_close(sens[1].ng) != 0)
		goto werr;
	for (int s = 0; s < N_SENSORS; s += 2) {
		pcap_dump_flush(sens[s].dump);
		pcap_dump_close(sens[s].dump);
		pcap_close(sens[s].pd);
		if (mk_out_close(sens[s].txt) != 0)
			goto werr;
	}
	write_orgs();
	write_events();
	write_case(seed);
	write_truth(seed, factor);
	uint64_t total = 0;
	for (int s = 0; s < N_SENSORS; s++) {
		fprintf(stderr, "sensor%d: %llu frames, %llu DNS messages (%llu tcp)\n", s + 1,
			(unsigned long long)sens[s].frames, (unsigned long long)sens[s].msgs,
			(unsigned long long)sens[s].tcp);
		total += sens[s].msgs;
	}
	fprintf(stderr, "total: %llu DNS messages in the captures\n", (unsigned long long)total);
	return 0;
werr:
	fprintf(stderr, "mkcase: cannot write %s: %s\n", path, strerror(errno));
	return 1;
}
