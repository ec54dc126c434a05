/* fuzz_config.c - libFuzzer harness for gazette.conf parsing
 * (core/config.c: config_read) and the trusted_proxies list it may hold
 * (http/ipnet.c: ipnet_list_parse).
 *
 * Input: the file's bytes. Checks: a failed parse says which line, and the
 * fixed-size string fields stay terminated whatever the line lengths. */
#include "fuzz.h"

#include "core/config.h"
#include "http/ipnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0; /* fmemopen wants a non-empty buffer */
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	struct config c;
	config_defaults(&c, "/srv/site");
	char err[256];
	err[0] = '\0';
	enum err e = config_read(&c, "/srv/site", f, err, sizeof err);
	fclose(f);
	if (e != ERR_OK) {
		FUZZ_CHECK(e == ERR_INVALID, "config_read: %d", (int)e);
		FUZZ_CHECK(strncmp(err, "gazette.conf:", 13) == 0, "errmsg '%s'", err);
		return 0;
	}
	FUZZ_CHECK(memchr(c.listen, 0, sizeof c.listen), "listen not terminated");
	FUZZ_CHECK(memchr(c.db_path, 0, sizeof c.db_path), "database not terminated");
	FUZZ_CHECK(memchr(c.theme_dir, 0, sizeof c.theme_dir), "theme not terminated");
	FUZZ_CHECK(memchr(c.trusted_proxies, 0, sizeof c.trusted_proxies),
		   "trusted_proxies not terminated");
	FUZZ_CHECK(c.access_log <= 1 && c.threads <= 256, "out-of-range value accepted");
	struct ipnet_list l;
	memset(&l, 0xA5, sizeof l); /* a caller's stale list: parse must replace it */
	if (!ipnet_list_parse(&l, c.trusted_proxies, err, sizeof err))
		FUZZ_CHECK(strncmp(err, "trusted_proxies", 15) == 0, "ipnet errmsg '%s'", err);
	else
		FUZZ_CHECK(l.n <= IPNET_LIST_MAX, "%zu networks", l.n);
	return 0;
}
