#define _GNU_SOURCE /* timegm */
#include "core/time.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static _Atomic int64_t offset_s;
static pthread_once_t offset_once = PTHREAD_ONCE_INIT;

static void read_env_offset(void)
{
	const char *e = getenv("GAZETTE_CLOCK_OFFSET");
	if (e && *e)
		offset_s = strtoll(e, NULL, 10);
}

/* Every thread sees the offset only once it is fully read. */
static void load_offset(void)
{
	pthread_once(&offset_once, read_env_offset);
}

int64_t clock_now(void)
{
	load_offset();
	return (int64_t)time(NULL) + offset_s;
}

void clock_set_offset(int64_t seconds)
{
	load_offset();
	offset_s = seconds;
}

int64_t clock_offset(void)
{
	load_offset();
	return offset_s;
}

int64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool time_zone_known(const char *zone)
{
	if (!zone || !*zone)
		return false;
	if (strcmp(zone, "UTC") == 0)
		return true;
	if (zone[0] == '/' || strstr(zone, "..") || strlen(zone) > 200)
		return false;
	char path[512], magic[4];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
	FILE *f = fopen(path, "rb"); /* a directory opens but cannot be read */
	if (!f)
		return false;
	bool ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

/* Bumped when the zone changes: it voids every thread's local_tm memo. */
static _Atomic unsigned zone_gen;
/* The zone is UTC: local time is utc_tm's arithmetic. */
static atomic_bool zone_utc;

/* gmtime_r without glibc's zone lock and tables: the proleptic Gregorian
 * date of a day count, by 400-year eras (146,097 days each) starting on
 * 1 March, so the leap day is the era-year's last. */
static void utc_tm(int64_t t, struct tm *tm)
{
	static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int64_t z = days + 719468; /* days since 0000-03-01 */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                      /* 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* from 1 March */
	int64_t mp = (5 * doy + 2) / 153;                                    /* 0 = March */
	int day = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mon = (int)(mp < 10 ? mp + 2 : mp - 10); /* 0 = January */
	int64_t year = yoe + era * 400 + (mon < 2);
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	memset(tm, 0, sizeof *tm);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_mday = day;
	tm->tm_mon = mon;
	tm->tm_year = (int)(year - 1900);
	tm->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	tm->tm_yday = before[mon] + day - 1 + (leap && mon > 1);
	tm->tm_zone = "UTC";
}

/* localtime_r (utc_tm's arithmetic in UTC), remembering the thread's last
 * answer: a page converts each of its few times (a post's or a card's
 * date) several times in a row, for its URL and its two date forms. */
static void local_tm(int64_t t, struct tm *out)
{
	static _Thread_local struct {
		bool set;
		unsigned gen;
		int64_t t;
		struct tm tm;
	} last;
	unsigned gen = atomic_load_explicit(&zone_gen, memory_order_acquire);
	if (!last.set || last.t != t || last.gen != gen) {
		if (atomic_load_explicit(&zone_utc, memory_order_relaxed)) {
			utc_tm(t, &last.tm);
		} else {
			time_t tt = (time_t)t;
			localtime_r(&tt, &last.tm);
		}
		last.t = t;
		last.gen = gen;
		last.set = true;
	}
	*out = last.tm;
}

bool time_set_zone(const char *zone)
{
	bool ok = true, utc = false;
	if (!zone || !*zone || strcmp(zone, "UTC") == 0) {
		setenv("TZ", "UTC", 1);
		utc = true;
	} else {
		char path[512];
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
		if (!time_zone_known(zone)) {
			setenv("TZ", "UTC", 1);
			utc = true;
			ok = false;
		} else {
			setenv("TZ", zone, 1);
		}
	}
	tzset();
	atomic_store(&zone_utc, utc);
	atomic_fetch_add_explicit(&zone_gen, 1, memory_order_release);
	return ok;
}

static void tm_to_parts(const struct tm *tm, struct date_parts *dp)
{
	dp->year = tm->tm_year + 1900;
	dp->month = tm->tm_mon + 1;
	dp->day = tm->tm_mday;
	dp->hour = tm->tm_hour;
	dp->min = tm->tm_min;
	dp->sec = tm->tm_sec;
}

void time_local(int64_t t, struct date_parts *dp)
{
	struct tm tm;
	local_tm(t, &tm);
	tm_to_parts(&tm, dp);
}

static int64_t local_mktime(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool time_parse_iso(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	if (!s || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d))
		return false;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return false;
	const char *p = s + 10;
	if (*p == 'T' || *p == ' ') {
		if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi))
			return false;
		p += 6;
		if (*p == ':') {
			if (!digits(p + 1, 2, &sec))
				return false;
			p += 3;
			if (*p == '.') { /* fractional seconds: ignored */
				p++;
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return false;
	}
	if (*p == '\0') {
		*out = local_mktime(y, mo, d, h, mi, sec);
		return true;
	}
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	int64_t utc = (int64_t)timegm(&tm);
	if (*p == 'Z' && p[1] == '\0') {
		*out = utc;
		return true;
	}
	int oh, om;
	if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) && p[3] == ':' &&
	    digits(p + 4, 2, &om) && p[6] == '\0' && oh < 24 && om < 60) {
		int64_t off = oh * 3600 + om * 60;
		*out = *p == '+' ? utc - off : utc + off;
		return true;
	}
	return false;
}

/* "YYYY-MM-DDTHH:MM:SS" into o (19 bytes), without printf: pages and feeds
 * format many dates. Years outside 0-9999 are printed by the caller's
 * fallback. */
static void put2(char *o, int v)
{
	o[0] = (char)('0' + v / 10 % 10);
	o[1] = (char)('0' + v % 10);
}

static bool put_datetime(char *o, const struct tm *tm)
{
	int y = tm->tm_year + 1900;
	if (y < 0 || y > 9999)
		return false;
	put2(o, y / 100);
	put2(o + 2, y % 100);
	o[4] = '-';
	put2(o + 5, tm->tm_mon + 1);
	o[7] = '-';
	put2(o + 8, tm->tm_mday);
	o[10] = 'T';
	put2(o + 11, tm->tm_hour);
	o[13] = ':';
	put2(o + 14, tm->tm_min);
	o[16] = ':';
	put2(o + 17, tm->tm_sec);
	return true;
}

char *time_iso(struct arena *a, int64_t t)
{
	struct tm tm;
	local_tm(t, &tm);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	char *o = off / 3600 < 100 ? arena_alloc(a, 26) : NULL;
	if (o && put_datetime(o, &tm)) {
		o[19] = sign;
		put2(o + 20, (int)(off / 3600));
		o[22] = ':';
		put2(o + 23, (int)(off % 3600 / 60));
		o[25] = '\0';
		return o;
	}
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900,
			    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign,
			    off / 3600, (off % 3600) / 60);
}

char *time_utc(struct arena *a, int64_t t)
{
	struct tm tm;
	utc_tm(t, &tm);
	char *o = arena_alloc(a, 21);
	if (o && put_datetime(o, &tm)) {
		o[19] = 'Z';
		o[20] = '\0';
		return o;
	}
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
			    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static const char *const wday[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const mon3[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_names[12] = {"January", "February", "March",     "April",
					    "May",     "June",     "July",      "August",
					    "September", "October", "November", "December"};

char *time_http(struct arena *a, int64_t t)
{
	struct tm tm;
	utc_tm(t, &tm);
	int y = tm.tm_year + 1900;
	char *o = y >= 0 && y <= 9999 ? arena_alloc(a, 30) : NULL;
	if (o) { /* every response's Date and Last-Modified: no printf */
		memcpy(o, wday[tm.tm_wday], 3);
		o[3] = ',';
		o[4] = ' ';
		put2(o + 5, tm.tm_mday);
		o[7] = ' ';
		memcpy(o + 8, mon3[tm.tm_mon], 3);
		o[11] = ' ';
		put2(o + 12, y / 100);
		put2(o + 14, y % 100);
		o[16] = ' ';
		put2(o + 17, tm.tm_hour);
		o[19] = ':';
		put2(o + 20, tm.tm_min);
		o[22] = ':';
		put2(o + 23, tm.tm_sec);
		memcpy(o + 25, " GMT", 5);
		return o;
	}
	return arena_printf(a, "%s, %02d %s %04d %02d:%02d:%02d GMT", wday[tm.tm_wday], tm.tm_mday,
			    mon3[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

char *time_rfc822(struct arena *a, int64_t t)
{
	struct tm tm;
	local_tm(t, &tm);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	return arena_printf(a, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", wday[tm.tm_wday],
			    tm.tm_mday, mon3[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
			    tm.tm_sec, sign, off / 3600, (off % 3600) / 60);
}

char *time_human(struct arena *a, int64_t t)
{
	struct date_parts dp;
	time_local(t, &dp);
	if (dp.year < 1000 || dp.year > 9999)
		return arena_printf(a, "%d %s %d", dp.day, month_names[dp.month - 1], dp.year);
	/* "D Month YYYY" written in place (every card on a page has one) */
	const char *month = month_names[dp.month - 1];
	size_t mn = strlen(month);
	char *out = arena_alloc(a, 2 + 1 + mn + 1 + 4 + 1), *o = out;
	if (!out)
		return NULL;
	if (dp.day >= 10)
		*o++ = (char)('0' + dp.day / 10 % 10);
	*o++ = (char)('0' + dp.day % 10);
	*o++ = ' ';
	memcpy(o, month, mn);
	o += mn;
	*o++ = ' ';
	put2(o, dp.year / 100);
	put2(o + 2, dp.year % 100);
	o[4] = '\0';
	return out;
}

bool time_parse_http(const char *s, int64_t *out)
{
	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	int d, y, h, mi, sec, mo = -1;
	if (!s || strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || !digits(s + 5, 2, &d) ||
	    s[7] != ' ' || s[11] != ' ' || !digits(s + 12, 4, &y) || s[16] != ' ' ||
	    !digits(s + 17, 2, &h) || s[19] != ':' || !digits(s + 20, 2, &mi) || s[22] != ':' ||
	    !digits(s + 23, 2, &sec) || strcmp(s + 25, " GMT") != 0)
		return false;
	for (int i = 0; i < 12; i++)
		if (strncmp(s + 8, mon3[i], 3) == 0)
			mo = i;
	if (mo < 0 || y < 1970 || d < 1 || d > days_in_month(y, mo + 1) || h > 23 || mi > 59 ||
	    sec > 60)
		return false;
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (int64_t)timegm(&tm);
	return true;
}

void time_local_range(int year, int month, int64_t *from, int64_t *to)
{
	if (month == 0) {
		*from = local_mktime(year, 1, 1, 0, 0, 0);
		*to = local_mktime(year + 1, 1, 1, 0, 0, 0);
	} else {
		*from = local_mktime(year, month, 1, 0, 0, 0);
		*to = month == 12 ? local_mktime(year + 1, 1, 1, 0, 0, 0)
				  : local_mktime(year, month + 1, 1, 0, 0, 0);
	}
}
