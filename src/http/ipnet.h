/* ipnet.h - IP addresses and networks: the peer of a connection, the
 * trusted proxies of gazette.conf, and the client behind X-Forwarded-For.
 * No allocation; plain values. */
#ifndef GAZETTE_HTTP_IPNET_H
#define GAZETTE_HTTP_IPNET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct ipnet {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned bits;
};

#define IPNET_LIST_MAX 64

struct ipnet_list {
	struct ipnet nets[IPNET_LIST_MAX];
	size_t n;
};

bool ip_from_sockaddr(const struct sockaddr *sa, struct ipnet *ip);
/* Parse "1.2.3.4", "::1", "[::1]", "1.2.3.4:5678", "[::1]:5678"
 * (IPv4-mapped IPv6 becomes IPv4). */
bool ip_parse(const char *s, size_t n, struct ipnet *ip);
void ip_format(const struct ipnet *ip, char *out, size_t n);
bool ip_in_net(const struct ipnet *ip, const struct ipnet *net);

/* "127.0.0.1, 10.0.0.0/8, ::1" into l (replacing what it held); false with "trusted_proxies: ..."
 * in errmsg for a bad entry. */
bool ipnet_list_parse(struct ipnet_list *l, const char *list, char *errmsg, size_t errlen);
bool ipnet_list_has(const struct ipnet_list *l, const struct ipnet *ip);
/* The client an X-Forwarded-For value names, walking from the right past
 * trusted hops, formatted into out; false when the header is unusable. */
bool ipnet_forwarded_client(const struct ipnet_list *trusted, const char *xff, char *out,
			    size_t outlen);

#endif
