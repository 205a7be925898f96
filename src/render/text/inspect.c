/* inspect.c - `tealeaves inspect`: one input's description as text or JSON. */
#include "render/text/inspect.h"
#include "util/error.h"
#include "util/time.h"

#include <string.h>

void tl_inspect_json(tl_json_t *j, const tl_input_info_t *info, int rc)
{
	char hex[TL_SHA256_HEX_LEN], name[24];
	const tl_input_stats_t *st = &info->stats;
	tl_json_obj_begin(j);
	tl_json_key(j, "file");
	tl_json_str(j, info->path);
	tl_json_key(j, "status");
	tl_json_str(j, rc == TL_OK ? "ok" : tl_strerror(rc));
	tl_json_key(j, "format");
	tl_json_str(j, tl_format_name(info->format));
	tl_json_key(j, "gzip");
	tl_json_bool(j, info->gzip);
	tl_json_key(j, "link_types");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < st->n_linktypes; i++)
		tl_json_str(j, tl_net_dlt_name(st->linktypes[i], name));
	tl_json_arr_end(j);
	tl_json_key(j, "size");
	tl_json_u64(j, info->size);
	tl_json_key(j, "sha256");
	tl_sha256_hex(info->sha256, hex);
	tl_json_str(j, hex);
	tl_json_key(j, "first_ts");
	tl_json_time(j, st->first_ts);
	tl_json_key(j, "last_ts");
	tl_json_time(j, st->last_ts);
	tl_json_key(j, info->format == TL_FORMAT_PCAP || info->format == TL_FORMAT_PCAPNG ? "frames"
											     : "lines");
	tl_json_u64(j, st->frames);
	if (info->format == TL_FORMAT_PCAP || info->format == TL_FORMAT_PCAPNG) {
		/* what the capture file itself records (pcapng statistics blocks);
		 * null means the file does not say, not that nothing was dropped */
		tl_json_key(j, "capture_drops");
		tl_json_obj_begin(j);
		tl_json_key(j, "interface");
		if (st->if_drops_known)
			tl_json_u64(j, st->if_drops);
		else
			tl_json_null(j);
		tl_json_key(j, "os");
		if (st->os_drops_known)
			tl_json_u64(j, st->os_drops);
		else
			tl_json_null(j);
		tl_json_obj_end(j);
	}
	tl_json_key(j, "messages");
	tl_json_obj_begin(j);
	tl_json_key(j, "total");
	tl_json_u64(j, st->messages);
	tl_json_key(j, "queries");
	tl_json_u64(j, st->queries);
	tl_json_key(j, "responses");
	tl_json_u64(j, st->responses);
	tl_json_key(j, "udp");
	tl_json_u64(j, st->udp);
	tl_json_key(j, "tcp");
	tl_json_u64(j, st->tcp);
	tl_json_key(j, "ipv4");
	tl_json_u64(j, st->ipv4);
	tl_json_key(j, "ipv6");
	tl_json_u64(j, st->ipv6);
	tl_json_key(j, "matched_responses");
	tl_json_u64(j, st->matched);
	tl_json_key(j, "unanswered_queries");
	tl_json_u64(j, st->unanswered);
	tl_json_key(j, "unmatched_responses");
	tl_json_u64(j, st->unmatched);
	tl_json_obj_end(j);
	tl_json_key(j, "anomalies");
	tl_json_obj_begin(j);
	tl_json_key(j, "total");
	tl_json_u64(j, tl_anomaly_total(&info->anomalies));
	tl_json_key(j, "by_kind");
	tl_json_arr_begin(j);
	for (int k = 0; k < TL_AN__COUNT; k++) {
		uint64_t n = info->anomalies.count[k];
		if (!n)
			continue;
		tl_json_obj_begin(j);
		tl_json_key(j, "kind");
		tl_json_str(j, tl_anomaly_name((tl_anomaly_kind_t)k));
		tl_json_key(j, "count");
		tl_json_u64(j, n);
		tl_json_key(j, "first_positions");
		tl_json_arr_begin(j);
		for (uint64_t i = 0; i < n && i < TL_AN_FIRST_MAX; i++)
			tl_json_u64(j, info->anomalies.first[k][i]);
		tl_json_arr_end(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
	tl_json_key(j, "note");
	tl_json_str(j, info->error[0] ? info->error : NULL);
	tl_json_obj_end(j);
}

void tl_inspect_text(tl_buf_t *b, const tl_input_info_t *info)
{
	char hex[TL_SHA256_HEX_LEN], name[24], t1[TL_TIME_ISO_LEN], t2[TL_TIME_ISO_LEN];
	const tl_input_stats_t *st = &info->stats;
	int capture = info->format == TL_FORMAT_PCAP || info->format == TL_FORMAT_PCAPNG;
	tl_buf_puts(b, "file:        ");
	tl_buf_text_escaped(b, info->path, strlen(info->path));
	tl_buf_printf(b, "\nformat:      %s%s\n", tl_format_name(info->format),
		      info->gzip ? " (gzip-compressed)" : "");
	if (capture) {
		tl_buf_puts(b, "link types:  ");
		for (size_t i = 0; i < st->n_linktypes; i++)
			tl_buf_printf(b, "%s%s", i ? ", " : "",
				      tl_net_dlt_name(st->linktypes[i], name));
		tl_buf_putc(b, '\n');
	}
	tl_sha256_hex(info->sha256, hex);
	tl_buf_printf(b, "size:        %llu bytes\nsha256:      %s\n",
		      (unsigned long long)info->size, hex);
	if (st->first_ts != TL_TIME_NONE) {
		tl_time_format_iso(st->first_ts, t1);
		tl_time_format_iso(st->last_ts, t2);
		tl_buf_printf(b, "first:       %s\nlast:        %s\n", t1, t2);
	} else {
		tl_buf_puts(b, "first:       -\nlast:        -\n");
	}
	tl_buf_printf(b, "%-13s%llu\n", capture ? "frames:" : "lines:",
		      (unsigned long long)st->frames);
	if (capture) {
		tl_buf_puts(b, "drops:       ");
		if (!st->if_drops_known && !st->os_drops_known)
			tl_buf_puts(b, "not recorded in the file");
		if (st->if_drops_known)
			tl_buf_printf(b, "%llu by the interface", (unsigned long long)st->if_drops);
		if (st->os_drops_known)
			tl_buf_printf(b, "%s%llu by the OS", st->if_drops_known ? ", " : "",
				      (unsigned long long)st->os_drops);
		tl_buf_putc(b, '\n');
	}
	tl_buf_printf(b,
		      "messages:    %llu (queries %llu, responses %llu; udp %llu, tcp %llu; "
		      "ipv4 %llu, ipv6 %llu)\n",
		      (unsigned long long)st->messages, (unsigned long long)st->queries,
		      (unsigned long long)st->responses, (unsigned long long)st->udp,
		      (unsigned long long)st->tcp, (unsigned long long)st->ipv4,
		      (unsigned long long)st->ipv6);
	tl_buf_printf(b,
		      "matching:    %llu responses matched, %llu queries unanswered, "
		      "%llu responses without a query\n",
		      (unsigned long long)st->matched, (unsigned long long)st->unanswered,
		      (unsigned long long)st->unmatched);
	uint64_t total = tl_anomaly_total(&info->anomalies);
	tl_buf_printf(b, "anomalies:   %llu\n", (unsigned long long)total);
	for (int k = 0; k < TL_AN__COUNT; k++) {
		uint64_t n = info->anomalies.count[k];
		if (!n)
			continue;
		tl_buf_printf(b, "  %-22s %8llu  at %s", tl_anomaly_name((tl_anomaly_kind_t)k),
			      (unsigned long long)n, capture ? "frame" : "line");
		for (uint64_t i = 0; i < n && i < TL_AN_FIRST_MAX; i++)
			tl_buf_printf(b, "%s %llu", i ? "," : "",
				      (unsigned long long)info->anomalies.first[k][i]);
		tl_buf_puts(b, n > TL_AN_FIRST_MAX ? ", ...\n" : "\n");
	}
	if (info->error[0])
		tl_buf_printf(b, "note:        %s\n", info->error);
}
