/* diff.h - a line diff of two texts (longest common subsequence), for
 * showing what changed between two revisions of a post. */
#ifndef GAZETTE_CORE_DIFF_H
#define GAZETTE_CORE_DIFF_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

enum diff_kind { DIFF_SAME, DIFF_DEL, DIFF_ADD };

struct diff_line {
	enum diff_kind kind;
	const char *text; /* the line without its newline, in the arena */
};

/* Lines of `from` and `to` in order, each kept, deleted or added. Texts of
 * more than DIFF_MAX_LINES lines, or whose changed middles would need a
 * table of more than DIFF_MAX_CELLS (16 MB), give ERR_LIMIT. */
#define DIFF_MAX_LINES 20000
#define DIFF_MAX_CELLS ((size_t)4 << 20)
enum err diff_lines(struct arena *a, const char *from, const char *to, struct diff_line **out,
		    size_t *n);

#endif
