/* time.h - the clock and date formatting.
 *
 * Every "now" in Gazette comes from clock_now(), which adds a test offset
 * (GAZETTE_CLOCK_OFFSET seconds in the environment, or clock_set_offset())
 * so tests can move time forward without sleeping. Times are Unix seconds
 * (int64_t, UTC). The site timezone is applied with time_set_zone() once at
 * start-up (it sets TZ for the process; call before starting threads). */
#ifndef GAZETTE_CORE_TIME_H
#define GAZETTE_CORE_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

int64_t clock_now(void);
void clock_set_offset(int64_t seconds);
int64_t clock_offset(void);
/* Monotonic milliseconds, for deadlines and durations (no offset). */
int64_t clock_mono_ms(void);

/* Site timezone: an IANA name such as "Europe/Paris", or "UTC". Returns false
 * when the zone is unknown to the system (then UTC is used). */
bool time_set_zone(const char *zone);
/* True for "UTC" and names of real zone files under /usr/share/zoneinfo. */
bool time_zone_known(const char *zone);

/* Parse ISO-8601: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with optional "Z" or
 * "+HH:MM"; without an offset it is read in the site timezone. */
bool time_parse_iso(const char *s, int64_t *out);

/* Broken-down local (site timezone) fields. */
struct date_parts {
	int year, month, day, hour, min, sec;
};
void time_local(int64_t t, struct date_parts *dp);

/* Formatting into the arena:
 *  time_iso:    "2026-11-26T17:30:00+01:00" (site zone)
 *  time_utc:    "2026-11-26T16:30:00Z"
 *  time_http:   "Thu, 26 Nov 2026 16:30:00 GMT" (RFC 7231)
 *  time_rfc822: "Thu, 26 Nov 2026 17:30:00 +0100" (site zone; RSS 2.0 dates)
 *  time_human:  "26 November 2026" (site zone) */
char *time_iso(struct arena *a, int64_t t);
char *time_utc(struct arena *a, int64_t t);
char *time_http(struct arena *a, int64_t t);
char *time_rfc822(struct arena *a, int64_t t);
char *time_human(struct arena *a, int64_t t);
/* Parse an HTTP date (IMF-fixdate); false if malformed. */
bool time_parse_http(const char *s, int64_t *out);
/* First second of a local year/month (month 0 = whole year) and the first
 * second after it, for date archives. */
void time_local_range(int year, int month, int64_t *from, int64_t *to);

#endif
