#include "http/ipnet.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"

bool ip_from_sockaddr(const struct sockaddr *sa, struct ipnet *ip)
{
	memset(ip, 0, sizeof *ip);
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		ip->family = AF_INET;
		memcpy(ip->addr, &in->sin_addr, 4);
		ip->bits = 32;
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			ip->family = AF_INET;
			memcpy(ip->addr, in6->sin6_addr.s6_addr + 12, 4);
			ip->bits = 32;
		} else {
			ip->family = AF_INET6;
			memcpy(ip->addr, &in6->sin6_addr, 16);
			ip->bits = 128;
		}
		return true;
	}
	return false;
}

bool ip_parse(const char *s, size_t n, struct ipnet *ip)
{
	char tmp[64];
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof tmp)
		return false;
	if (s[0] == '[') {
		const char *e = memchr(s, ']', n);
		if (!e)
			return false;
		n = (size_t)(e - s - 1);
		s++;
		if (n == 0 || n >= sizeof tmp)
			return false;
	} else {
		const char *c1 = memchr(s, ':', n);
		if (c1 && memchr(s, '.', n) && !memchr(c1 + 1, ':', n - (size_t)(c1 - s) - 1))
			n = (size_t)(c1 - s); /* IPv4 with a port */
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(ip, 0, sizeof *ip);
	struct in6_addr a6;
	if (inet_pton(AF_INET, tmp, ip->addr) == 1) {
		ip->family = AF_INET;
		ip->bits = 32;
		return true;
	}
	if (inet_pton(AF_INET6, tmp, &a6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			ip->family = AF_INET;
			memcpy(ip->addr, a6.s6_addr + 12, 4);
			ip->bits = 32;
		} else {
			ip->family = AF_INET6;
			memcpy(ip->addr, &a6, 16);
			ip->bits = 128;
		}
		return true;
	}
	return false;
}

void ip_format(const struct ipnet *ip, char *out, size_t n)
{
	if (!inet_ntop(ip->family, ip->addr, out, (socklen_t)n))
		str_copy(out, "-", n);
}

bool ip_in_net(const struct ipnet *ip, const struct ipnet *net)
{
	if (ip->family != net->family)
		return false;
	unsigned full = net->bits / 8, rest = net->bits % 8;
	if (memcmp(ip->addr, net->addr, full) != 0)
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xffu << (8 - rest));
		if ((ip->addr[full] & mask) != (net->addr[full] & mask))
			return false;
	}
	return true;
}

bool ipnet_list_has(const struct ipnet_list *l, const struct ipnet *ip)
{
	for (size_t i = 0; i < l->n; i++)
		if (ip_in_net(ip, &l->nets[i]))
			return true;
	return false;
}

bool ipnet_list_parse(struct ipnet_list *l, const char *list, char *errmsg, size_t errlen)
{
	l->n = 0; /* the list is ours to fill: never count on the caller zeroing it */
	const char *p = list;
	while (*p) {
		p += strspn(p, ", \t");
		size_t n = strcspn(p, ", \t");
		if (n == 0)
			break;
		const char *slash = memchr(p, '/', n);
		size_t alen = slash ? (size_t)(slash - p) : n;
		struct ipnet net;
		bool ok = ip_parse(p, alen, &net) && l->n < IPNET_LIST_MAX;
		if (ok && slash) {
			char bits[8];
			size_t bl = n - alen - 1;
			int64_t v;
			ok = bl > 0 && bl < sizeof bits;
			if (ok) {
				memcpy(bits, slash + 1, bl);
				bits[bl] = '\0';
				ok = str_to_i64(bits, 0, net.family == AF_INET ? 32 : 128, &v);
				net.bits = (unsigned)v;
			}
		}
		if (!ok) {
			snprintf(errmsg, errlen, "trusted_proxies: bad entry '%.*s'", (int)n, p);
			return false;
		}
		l->nets[l->n++] = net;
		p += n;
	}
	return true;
}

/* X-Forwarded-For: walk from the right past trusted proxies; the first
 * untrusted hop is the client. All trusted: the leftmost. */
bool ipnet_forwarded_client(const struct ipnet_list *trusted, const char *xff, char *out,
			    size_t outlen)
{
	struct ipnet ip;
	size_t end = strlen(xff);
	bool any = false;
	while (end > 0) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		size_t len = end - start;
		end = start > 0 ? start - 1 : 0;
		bool blank = strspn(xff + start, " \t") >= len;
		if (blank) {
			if (start == 0)
				break;
			continue;
		}
		if (!ip_parse(xff + start, len, &ip))
			return false; /* garbage where a hop should be: ignore the header */
		any = true;
		if (!ipnet_list_has(trusted, &ip) || start == 0)
			break;
	}
	if (!any)
		return false;
	ip_format(&ip, out, outlen);
	return true;
}
