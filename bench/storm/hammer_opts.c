/* The hammer's options, their checks, and the stop request a signal
 * handler sets; see hammer.h. */
#include "storm/hammer.h"

#include <arpa/inet.h>
#include <math.h>
#include <signal.h>
#include <string.h>

/* ---- stop request ---- */
static volatile sig_atomic_t stop_flag;

void hammer_request_stop(void)
{
	stop_flag = 1;
}

int hammer_stop_requested(void)
{
	return stop_flag != 0;
}

void hammer_clear_stop(void)
{
	stop_flag = 0;
}

/* ---- options ---- */
void hammer_defaults(struct hammer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->inflight = 32;
	o->close_mode = HAMMER_CLOSE_RESET;
	o->address = "127.0.0.1";
}

const char *hammer_close_name(enum hammer_close m)
{
	return m == HAMMER_CLOSE_FIN ? "fin" : "reset";
}

int hammer_close_parse(const char *s, enum hammer_close *out)
{
	if (!strcmp(s, "reset"))
		*out = HAMMER_CLOSE_RESET;
	else if (!strcmp(s, "fin"))
		*out = HAMMER_CLOSE_FIN;
	else
		return -1;
	return 0;
}

/* A host of 127.0.0.0/8 other than its network and broadcast addresses. */
int hammer_parse_loopback(const char *s, struct in_addr *out)
{
	struct in_addr a;
	uint32_t h;

	if (!s)
		s = "127.0.0.1";
	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	h = ntohl(a.s_addr);
	if (h >> 24 != 127 || (h & 0xffffff) == 0 || (h & 0xffffff) == 0xffffff)
		return -1;
	*out = a;
	return 0;
}

int hammer_check(const struct hammer_opts *o, char *err, size_t errlen)
{
	struct in_addr a;

	if (hammer_parse_loopback(o->address, &a) < 0)
		snprintf(err, errlen,
			 "address '%s' is not an IPv4 host of 127.0.0.0/8: the hammer only "
			 "targets loopback",
			 o->address ? o->address : "");
	else if (!isfinite(o->duration_s) || o->duration_s < 0 ||
		 o->duration_s > HAMMER_MAX_DURATION_S)
		snprintf(err, errlen, "duration must be between 0 and %.0f s",
			 HAMMER_MAX_DURATION_S);
	else if (o->duration_s == 0 && o->connections == 0)
		snprintf(err, errlen, "no bound: give a duration, a number of connections, or both");
	else if (o->threads < 0 || o->threads > HAMMER_MAX_THREADS)
		snprintf(err, errlen, "threads must be between 0 (one per CPU) and %d",
			 HAMMER_MAX_THREADS);
	else if (o->inflight < 1 || o->inflight > HAMMER_MAX_INFLIGHT)
		snprintf(err, errlen, "inflight must be between 1 and %d", HAMMER_MAX_INFLIGHT);
	else if (o->close_mode != HAMMER_CLOSE_RESET && o->close_mode != HAMMER_CLOSE_FIN)
		snprintf(err, errlen, "close mode must be reset or fin");
	else
		return 0;
	return -1;
}
