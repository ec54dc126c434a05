#include "core/embed.h"

#include <string.h>

const struct embedded_file *embed_find(const struct embedded_file *tab, const char *name)
{
	for (; tab && tab->name; tab++)
		if (strcmp(tab->name, name) == 0)
			return tab;
	return NULL;
}
