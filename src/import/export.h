/* export.h - the site as a WordPress export (WXR 1.2).
 *
 * export_wordpress writes users (as authors), categories (with their
 * parents), tags, every post and page (any status, with body HTML,
 * excerpt, dates, stickiness, parent, category and tags) and their
 * comments (status, threading, author fields, address, date), streaming:
 * a page of posts at a time, flushed as it goes; the media library as
 * attachment items (ids EXPORT_MEDIA_ID + media id; the URL of the file,
 * _wp_attached_file its path under media/, the alt text) before them, a
 * post's featured image as _thumbnail_id; the navigation menu, when one
 * is set, as the nav_menu "main" and nav_menu_item items (ids
 * EXPORT_MENU_ID + item id) after them. WordPress's importer
 * reads it; so does ours (import.h), which also reads the site's redirects
 * from <gazette:redirect from="..." to="..." status="301"/> elements in
 * the channel (namespace EXPORT_GAZETTE_NS; other importers ignore them). */
#ifndef GAZETTE_IMPORT_EXPORT_H
#define GAZETTE_IMPORT_EXPORT_H

#include <stdio.h>

#include "core/err.h"
#include "store/store.h"

#define EXPORT_GAZETTE_NS "urn:gazette:wxr:1"
/* WordPress ids are one space for every item: media and menu items get
 * theirs above any post id a site will have. Term ids are one space for
 * every taxonomy too (the importer maps a menu item's term through one
 * table), so tags get theirs above any category id, and the menu's term
 * EXPORT_MENU_ID. */
#define EXPORT_MEDIA_ID 1000000000LL
#define EXPORT_MENU_ID 2000000000LL
#define EXPORT_TAG_ID 1000000000LL

/* Write the export to out. *items gets the number of <item>s. */
enum err export_wordpress(struct store *st, FILE *out, int64_t *items);

#endif
