"""wxr_accept.py - read a WXR file the way WordPress's importer plugin
(WordPress/wordpress-importer, 0.8.x) reads it, and say what it would refuse,
lose or change. Standard library only; no WordPress needed.

    errors, warnings, counts = check(path)
    python3 wxr_accept.py FILE          (prints them; exit 1 on errors)

errors:   the importer would refuse the file, or import it and lose or
          misattach data (a parent, an author, a term, a menu item ...).
warnings: it would import the data but treat it differently from what the
          file means (a status, a slug, a login changed on the way in).
Each message starts with a short code ("wxr_version: ...") that tests match.
counts:   what the importer would create, as the checks below resolve it
          (see the end of check()).

Which importer behaviour each check mirrors (plugin files and functions;
this module re-implements the behaviour, it contains none of their code):

class-wxr-parser.php, WXR_Parser::parse
  - a file that is not well-formed XML goes to the regex fallback parser,
    which keeps only what its line patterns match: `xml` is an error.
class-wxr-parser-simplexml.php, WXR_Parser_SimpleXML::parse
  - DOMDocument::loadXML without LIBXML_PARSEHUGE: a DOCTYPE (`doctype`) or a
    text node over 10,000,000 bytes (`huge_text`) makes the load fail.
  - /rss/channel/wp:wxr_version through XPath with the prefixes declared on
    the root element: root not rss/channel, no `wp` prefix on <rss>
    (`namespace`), a missing version or one not matching ^\\d+\\.\\d+$
    (`wxr_version`) refuse the file.
  - the `wp` and `excerpt` namespace URIs are whatever <rss> declares for
    those prefixes (1.1 URIs when undeclared); content: and dc: are fixed
    URIs. Elements in another URI are invisible to it (`namespace`).
  - authors keyed by wp:author_login; categories, tags and terms read in file
    order; items from channel/item, int casts of post_id, post_parent,
    menu_order, is_sticky, comment_id, comment_user_id; an item <category>
    counts only with a nicename attribute.
class-wxr-parser-xml.php, WXR_Parser_XML (used when SimpleXML is missing)
  - matches literal tag names wp:..., content:encoded, excerpt:encoded,
    dc:creator: other prefixes for those namespaces (`prefix`) are a warning.
class-wp-import.php, WP_Import
  - handle_upload: a version above max_wxr_version 1.2 is flagged "may not be
    supported" (`wxr_version` warning).
  - get_author_mapping / process_posts: dc:creator is matched, through
    sanitize_user(strict), against the declared logins; an undeclared one is
    attributed to the importing user (`author`); wp_insert_user refuses an
    empty login or a second user with the same email (`author`), and a login
    that sanitize_user(strict) changes is created under the changed name
    (`author_login` warning).
  - process_categories: a category whose slug already exists is skipped;
    category_parent is looked up with category_exists() among categories
    created so far, so a parent declared later, or not at all, leaves the
    child at the top level (`category_parent`); an empty cat_name fails.
  - process_tags / process_terms: the same for tags and other taxonomies
    (term_parent through term_exists()).
  - process_posts: an unregistered post_type is refused (`post_type`); a
    post_id seen before is skipped (`duplicate_post_id`); an auto-draft is
    skipped; post_exists(title, '', post_date, post_type) against what was
    imported before skips the item as "already exists" (`post_exists`);
    post_parent is mapped through processed_posts, and backfill_parents only
    finds parents that are items of the file (`post_parent`); is_sticky == 1
    calls stick_post(); an item <category> whose slug is not declared is
    created on the fly with no parent or description (`category_undeclared`
    error, `term_undeclared` warning for tags) and an unknown taxonomy fails
    (`taxonomy`).
  - wp_insert_post (core, called by process_posts): a malformed post_date is
    refused (`date`); 'publish' dated in the future becomes 'future' and
    'future' dated in the past becomes 'publish' (`status` warning); an
    unknown status is stored but shown nowhere (`status` warning); a slug
    already used is suffixed -2 (`slug` warning).
  - comments: keyed by comment_id per item (a duplicate id overwrites:
    `comment_id`), inserted in ksort() order, comment_parent mapped only
    through comments of the same item inserted before, so a parent that is
    missing, on another item or has a larger id keeps its old id and points at
    an unrelated comment (`comment_parent`); comment_approved is stored as is
    ('1', '0', 'spam', 'trash', 'post-trashed' mean something; anything else
    hides the comment: `comment_approved`); malformed comment_date (`date`).
  - postmeta / commentmeta: maybe_unserialize() on every value, so a value
    that looks serialized but does not unserialize is lost (`serialized`);
    _thumbnail_id is remapped through processed_posts by
    remap_featured_images(), an id that is not an item keeps pointing at the
    old id (`thumbnail`).
  - process_attachment: attachments come in only when "Download and import
    file attachments" is checked and wp:attachment_url (else guid) answers
    (`attachment` warning, once).
  - process_menu_item: draft items are skipped (`menu_draft`); the first
    <category domain="nav_menu"> names the menu and term_exists() must find
    it, i.e. a wp:term of taxonomy nav_menu (`menu_term`); the item's
    _menu_item_* postmeta become variables, so a missing one is an undefined
    variable (`menu_meta`); _menu_item_object_id is mapped through
    processed_terms (taxonomy; one map for every taxonomy, so term_ids shared
    by two taxonomies resolve to the one declared last: `term_id`) or
    processed_posts (post_type), and an object that is never imported drops
    the item (`menu_object`); _menu_item_menu_item_parent is mapped through
    processed_menu_items, and backfill_parents() only finds parents that are
    menu items of the file (`menu_parent`); menu_order becomes the position
    (0 appends: `menu_order` warning).
"""
import calendar
import collections
import re
import sys
import time
import xml.etree.ElementTree as ET

NS_CONTENT = 'http://purl.org/rss/1.0/modules/content/'
NS_DC = 'http://purl.org/dc/elements/1.1/'
NS_WP11 = 'http://wordpress.org/export/1.1/'
NS_EXCERPT11 = 'http://wordpress.org/export/1.1/excerpt/'
MAX_VERSION = (1, 2)
HUGE_TEXT = 10000000  # libxml2's XML_MAX_TEXT_LENGTH without XML_PARSE_HUGE

# post types a WordPress 6.x install registers (post_type_exists)
POST_TYPES = {'post', 'page', 'attachment', 'revision', 'nav_menu_item', 'custom_css',
              'customize_changeset', 'oembed_cache', 'user_request', 'wp_block', 'wp_template',
              'wp_template_part', 'wp_global_styles', 'wp_navigation', 'wp_font_family',
              'wp_font_face'}
TAXONOMIES = {'category', 'post_tag', 'nav_menu', 'link_category', 'post_format', 'wp_theme',
              'wp_template_part_area', 'wp_pattern_category'}
STATUSES = {'publish', 'future', 'draft', 'pending', 'private', 'trash', 'inherit',
            'auto-draft'}
APPROVED = {'1', '0', 'spam', 'trash', 'post-trashed'}
MENU_META = ('_menu_item_type', '_menu_item_menu_item_parent', '_menu_item_object_id',
             '_menu_item_object', '_menu_item_target', '_menu_item_classes', '_menu_item_xfn',
             '_menu_item_url')
MENU_META_VITAL = MENU_META[:4]
DATE_RE = re.compile(r'^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$')


def sanitize_user(login):
    """WordPress's sanitize_user($login, true), near enough for ASCII checks:
    tags, percent-octets and entities go, accents are dropped, then only
    [A-Za-z0-9 _.@-] stays, whitespace collapsed."""
    import unicodedata
    s = re.sub(r'<[^>]*>', '', login)
    s = unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode()
    s = re.sub(r'%[a-fA-F0-9]{2}', '', s)
    s = re.sub(r'&.+?;', '', s)
    s = re.sub(r'[^a-zA-Z0-9 _.\-@]', '', s)
    return re.sub(r'\s+', ' ', s.strip())


def sanitize_title(slug):
    """The comparison key term_exists() and wp_unique_post_slug() use: slugs
    are lowercased (WordPress also percent-encodes non-ASCII, which maps
    equal strings to equal keys, so lowercasing is enough here)."""
    return slug.strip().lower()


def valid_date(s):
    m = DATE_RE.match(s.strip())
    if not m:
        return False
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y == 0 and mo == 0 and d == 0:  # WordPress's "no date"
        return True
    try:
        time.strptime('%04d-%02d-%02d' % (y, mo, d), '%Y-%m-%d')
    except ValueError:
        return False
    return int(m.group(4)) < 24 and int(m.group(5)) < 60 and int(m.group(6)) < 60


def gmt_epoch(s):
    m = DATE_RE.match(s.strip())
    if not m or s.startswith('0000'):
        return None
    return calendar.timegm(tuple(int(x) for x in m.groups()) + (0, 0, 0))


def php_int(s):
    """PHP's (int) cast of a string: leading integer, else 0."""
    m = re.match(r'\s*([+-]?\d+)', s or '')
    return int(m.group(1)) if m else 0


def is_serialized(v):
    """WordPress's is_serialized($data, strict = true)."""
    v = v.strip()
    if v == 'N;':
        return True
    if len(v) < 4 or v[1] != ':' or v[-1] not in ';}':
        return False
    t = v[0]
    if t == 's':
        return v[-2] == '"' or v[-1] == ';' and v.endswith('";')
    if t in 'aOE':
        return re.match(r'^%s:[0-9]+:' % t, v) is not None
    if t in 'bid':
        return re.match(r'^%s:[0-9.E+-]+;$' % t, v) is not None
    return False


def unserialize_ok(v):
    """Whether PHP's unserialize() would accept v (strings counted in bytes)."""
    b = v.strip().encode('utf-8')
    pos = [0]

    def value():
        i = pos[0]
        t = b[i:i + 1]
        if t == b'N':
            if b[i:i + 2] != b'N;':
                raise ValueError
            pos[0] = i + 2
            return
        if t in (b'b', b'i', b'd'):
            m = re.compile(rb'[bid]:[0-9.eE+\-INFA]+;').match(b, i)
            if not m:
                raise ValueError
            pos[0] = m.end()
            return
        if t == b's':
            m = re.compile(rb's:(\d+):"').match(b, i)
            if not m:
                raise ValueError
            end = m.end() + int(m.group(1))
            if b[end:end + 2] != b'";':
                raise ValueError
            pos[0] = end + 2
            return
        if t == b'a':
            m = re.compile(rb'a:(\d+):\{').match(b, i)
            if not m:
                raise ValueError
            pos[0] = m.end()
            for _ in range(2 * int(m.group(1))):
                value()
            if b[pos[0]:pos[0] + 1] != b'}':
                raise ValueError
            pos[0] += 1
            return
        raise ValueError  # objects (O:, C:, E:) are out of scope: call them bad

    try:
        value()
    except (ValueError, IndexError):
        return False
    return pos[0] == len(b)


def root_namespaces(raw):
    """{prefix: uri} declared on the root element (getDocNamespaces)."""
    m = re.search(rb'<rss\b([^>]*)>', raw)
    if not m:
        return {}
    return {p.decode(): u.decode('utf-8', 'replace') for p, u in
            re.findall(rb'xmlns:([A-Za-z_][\w.-]*)\s*=\s*["\']([^"\']*)["\']', m.group(1))}


def check(path, now=None):
    errors, warnings = [], []
    err = errors.append
    warn = warnings.append
    counts = {}
    with open(path, 'rb') as f:
        raw = f.read()

    # --- the XML itself (WXR_Parser_SimpleXML::parse) ---------------------
    if re.search(rb'<!DOCTYPE', raw[:4096]):
        err('doctype: the file has a DOCTYPE, which WXR_Parser_SimpleXML refuses')
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as e:
        err('xml: not well-formed (%s): only the regex fallback parser would read it' % e)
        return errors, warnings, counts
    declared = root_namespaces(raw)
    if root.tag != 'rss' or root.find('channel') is None:
        err('wxr_version: the root is not <rss><channel>, so /rss/channel/wp:wxr_version '
            'is not found')
        return errors, warnings, counts
    channel = root.find('channel')
    for el in root.iter():
        for s in (el.text, el.tail):
            if s and len(s.encode('utf-8')) > HUGE_TEXT:
                err('huge_text: a text node of %d bytes in <%s>: loadXML fails above %d'
                    % (len(s.encode('utf-8')), el.tag, HUGE_TEXT))
    if 'wp' not in declared:
        err('namespace: <rss> declares no xmlns:wp, so the XPath for wp:wxr_version fails')
    wp = declared.get('wp', NS_WP11)
    excerpt = declared.get('excerpt', NS_EXCERPT11)
    for prefix, uri in (('content', NS_CONTENT), ('dc', NS_DC)):
        if declared.get(prefix, uri) != uri:
            warn('prefix: xmlns:%s is %r, not %r: WXR_Parser_XML matches literal names'
                 % (prefix, declared[prefix], uri))
    for uri, want in ((wp, 'wp'), (excerpt, 'excerpt'), (NS_CONTENT, 'content'), (NS_DC, 'dc')):
        for p, u in declared.items():
            if u == uri and p != want and want not in declared:
                warn('prefix: %s is bound to prefix %r; WXR_Parser_XML only knows %s:'
                     % (uri, p, want))
    seen_ns = set()
    for el in root.iter():
        if el.tag.startswith('{'):
            seen_ns.add(el.tag[1:].split('}')[0])
    for uri in sorted(seen_ns):
        if re.match(r'^https?://wordpress\.org/export/', uri) and uri not in (wp, excerpt):
            err('namespace: elements in %s, which is not what <rss> binds wp/excerpt to '
                '(%s, %s): the parser does not see them' % (uri, wp, excerpt))

    def W(el, name):
        v = el.find('{%s}%s' % (wp, name))
        return (v.text or '') if v is not None else None

    def Ws(el, name):
        v = W(el, name)
        return v if v is not None else ''

    vs = channel.findall('{%s}wxr_version' % wp)
    version = (vs[0].text or '').strip() if vs else None
    if version is None:
        err('wxr_version: no wp:wxr_version in the channel: "This does not appear to be a '
            'WXR file, missing/invalid WXR version number"')
        return errors, warnings, counts
    if not re.match(r'^\d+\.\d+$', version):
        err('wxr_version: %r is not N.N: "missing/invalid WXR version number"' % version)
        return errors, warnings, counts
    if float(version) > 1.2:
        warn('wxr_version: %s is above the importer\'s max_wxr_version 1.2: "may not be '
             'supported by this version of the importer"' % version)
    counts['version'] = version
    base = channel.find('{%s}base_site_url' % wp)
    if base is None or not (base.text or '').strip():
        err('base_site_url: missing: older importers index an empty XPath result, and '
            'relative attachment URLs cannot be fetched')
    if now is None:  # the import happens now
        now = time.time()

    # --- authors (get_authors_from_import, get_author_mapping) ------------
    authors = collections.OrderedDict()
    for a in channel.findall('{%s}author' % wp):
        login = Ws(a, 'author_login')
        if login in authors:
            warn('author: login %r declared twice; the last one wins' % login)
        authors[login] = {'id': php_int(Ws(a, 'author_id')), 'email': Ws(a, 'author_email'),
                          'display': Ws(a, 'author_display_name')}
    emails = {}
    for login, a in authors.items():
        s = sanitize_user(login)
        if not s:
            err('author: login %r is empty after sanitize_user: wp_insert_user refuses it, '
                'its posts go to the importing user' % login)
        elif s != login:
            warn('author_login: %r is created as %r (sanitize_user strict)' % (login, s))
        if a['email']:
            if a['email'].lower() in emails:
                err('author: %r has the email of %r: wp_insert_user refuses a second user '
                    'with one email, its posts go to the importing user'
                    % (login, emails[a['email'].lower()]))
            emails.setdefault(a['email'].lower(), login)
    mapped = {sanitize_user(l) for l in authors if sanitize_user(l)}
    counts['authors'] = set(authors)

    # --- categories, tags, terms (process_categories/_tags/_terms) -------
    processed_terms = {}  # term_id -> (taxonomy, slug): one map for all taxonomies
    term_ids = collections.defaultdict(set)
    created = collections.defaultdict(dict)  # taxonomy -> {slug: {'name', 'parent'}}

    def term_exists(tax, key):
        k = sanitize_title(key)
        if k in created[tax]:
            return k
        for slug, t in created[tax].items():  # term_exists() also matches the name
            if t['name'] == key:
                return slug
        return None

    def add_term(tax, tid, slug, name, parent_key, what):
        if not name.strip():
            err('%s: %s %r has an empty name: wp_insert_term fails' % (what, tax, slug))
            return
        key = sanitize_title(slug) if slug.strip() else sanitize_title(name)
        if key in created[tax]:
            warn('%s: %s %r declared twice; the second is skipped' % (what, tax, slug))
            processed_terms[tid] = (tax, key)
            return
        parent = ''
        if parent_key:
            parent = term_exists(tax, parent_key)
            if parent is None:
                later = any(sanitize_title(Ws(c, 'category_nicename' if tax == 'category'
                                              else 'term_slug')) == sanitize_title(parent_key)
                            for c in channel)
                err('category_parent: %s %r has parent %r, which is %s: it is created at the '
                    'top level' % (tax, slug, parent_key,
                                   'declared after it' if later else 'not declared'))
                parent = ''
        created[tax][key] = {'name': name, 'parent': parent}
        processed_terms[tid] = (tax, key)
        term_ids[tid].add((tax, key))

    for cat in channel.findall('{%s}category' % wp):
        add_term('category', php_int(Ws(cat, 'term_id')), Ws(cat, 'category_nicename'),
                 Ws(cat, 'cat_name'), Ws(cat, 'category_parent'), 'category')
    for tag in channel.findall('{%s}tag' % wp):
        add_term('post_tag', php_int(Ws(tag, 'term_id')), Ws(tag, 'tag_slug'),
                 Ws(tag, 'tag_name'), '', 'tag')
    for term in channel.findall('{%s}term' % wp):
        tax = Ws(term, 'term_taxonomy')
        if tax not in TAXONOMIES:
            err('taxonomy: wp:term %r is in taxonomy %r, which WordPress does not register'
                % (Ws(term, 'term_slug'), tax))
            continue
        add_term(tax, php_int(Ws(term, 'term_id')), Ws(term, 'term_slug'),
                 Ws(term, 'term_name'), Ws(term, 'term_parent'), 'term')
    declared_terms = {tax: dict(d) for tax, d in created.items()}

    # --- items (process_posts, process_menu_item, backfill_parents) -------
    items = channel.findall('item')
    parsed = []
    for it in items:
        p = {'el': it, 'title': it.findtext('title') or '', 'guid': it.findtext('guid') or '',
             'author': it.findtext('{%s}creator' % NS_DC) or '',
             'id': php_int(Ws(it, 'post_id')), 'date': Ws(it, 'post_date'),
             'date_gmt': Ws(it, 'post_date_gmt'), 'name': Ws(it, 'post_name'),
             'status': Ws(it, 'status'), 'parent': php_int(Ws(it, 'post_parent')),
             'order': php_int(Ws(it, 'menu_order')), 'type': Ws(it, 'post_type'),
             'password': Ws(it, 'post_password'), 'sticky': php_int(Ws(it, 'is_sticky')),
             'comment_status': Ws(it, 'comment_status'),
             'attachment_url': W(it, 'attachment_url'),
             'terms': [(c.get('domain') or '', c.get('nicename'), c.text or '')
                       for c in it.findall('category') if c.get('nicename') is not None],
             'meta': [(Ws(m, 'meta_key'), Ws(m, 'meta_value'))
                      for m in it.findall('{%s}postmeta' % wp)],
             'comments': it.findall('{%s}comment' % wp)}
        parsed.append(p)

    processed_posts = {}   # old id -> item
    imported = []          # items inserted (not skipped)
    attachments = []
    seen_ids = set()
    by_type_title_date = []
    slugs = collections.defaultdict(set)
    menu_items = []
    for p in parsed:
        label = '%s %d %r' % (p['type'] or 'item', p['id'], p['title'][:40])
        if p['type'] not in POST_TYPES:
            err('post_type: %s: post type %r is not registered: "Failed to import ... Invalid '
                'post type"' % (label, p['type']))
            continue
        if p['id'] and p['id'] in seen_ids:
            err('duplicate_post_id: %s: post_id %d was already imported from an earlier item: '
                'this one is skipped' % (label, p['id']))
            continue
        if p['status'] == 'auto-draft':
            warn('status: %s is an auto-draft: skipped' % label)
            continue
        if p['type'] == 'nav_menu_item':
            menu_items.append(p)
            continue
        # post_exists(title, '', date, type) against what came in before
        dup = None
        if p['title'] or p['date']:
            for q in by_type_title_date:
                if q['type'] == p['type'] and (not p['title'] or q['title'] == p['title']) and \
                        (not p['date'] or q['date'] == p['date']):
                    dup = q
                    break
        if dup is not None:
            err('post_exists: %s has the title and date of %s %d: "already exists", skipped '
                'with its comments going to that one' % (label, dup['type'], dup['id']))
            processed_posts[p['id']] = dup
            seen_ids.add(p['id'])
            continue
        if p['date'] and not valid_date(p['date']):
            err('date: %s: post_date %r is not YYYY-MM-DD HH:MM:SS: wp_insert_post refuses it'
                % (label, p['date']))
            continue
        if p['date_gmt'] and not valid_date(p['date_gmt']):
            err('date: %s: post_date_gmt %r is not YYYY-MM-DD HH:MM:SS' % (label, p['date_gmt']))
        if p['status'] not in STATUSES:
            warn('status: %s: status %r is not a WordPress status: stored, shown nowhere'
                 % (label, p['status']))
        if p['type'] == 'attachment':
            attachments.append(p)
            url = p['attachment_url'] or p['guid']
            if not re.match(r'^(https?://|/)', url or ''):
                err('attachment: %s: no fetchable wp:attachment_url or guid (%r)' % (label, url))
                continue
        seen_ids.add(p['id'])
        processed_posts[p['id']] = p
        imported.append(p)
        by_type_title_date.append(p)

    # final status, as wp_insert_post adjusts it
    for p in imported:
        st = p['status']
        label = '%s %d %r' % (p['type'], p['id'], p['title'][:40])
        g = gmt_epoch(p['date_gmt']) or gmt_epoch(p['date'])
        if p['type'] != 'attachment' and g is not None:
            if st == 'publish' and g - now >= 60:
                warn('status: %s: publish dated %s, after the export: wp_insert_post makes it '
                     'future' % (label, p['date_gmt']))
                st = 'future'
            elif st == 'future' and g - now < 60:
                warn('status: %s: future dated %s, before the export: wp_insert_post publishes '
                     'it' % (label, p['date_gmt']))
                st = 'publish'
        p['final_status'] = st
        if st not in ('draft', 'pending', 'auto-draft') and p['name']:
            if p['type'] == 'attachment':
                scope = ('*',)
            elif p['type'] == 'page':
                scope = ('page', p['parent'])
            else:
                scope = (p['type'],)
            key = sanitize_title(p['name'])
            if key in slugs[scope]:
                warn('slug: %s: post_name %r is taken: wp_unique_post_slug makes it %s-2'
                     % (label, p['name'], key))
            slugs[scope].add(key)
        if p['sticky'] == 1 and p['type'] != 'post':
            warn('sticky: %s: is_sticky on a %s' % (label, p['type']))
        if p['comment_status'] not in ('open', 'closed', ''):
            warn('status: %s: comment_status %r' % (label, p['comment_status']))

    # authors of items (process_posts maps dc:creator)
    for p in imported:
        if authors and sanitize_user(p['author']) not in mapped:
            err('author: %s %d %r: dc:creator %r is not a declared wp:author_login: '
                'attributed to the importing user' % (p['type'], p['id'], p['title'][:40],
                                                      p['author']))

    # parents (post_orphans, backfill_parents)
    page_parents = {}
    for p in imported:
        if p['parent']:
            if p['parent'] in processed_posts and processed_posts[p['parent']] is not p:
                page_parents[p['id']] = processed_posts[p['parent']]['id']
            else:
                err('post_parent: %s %d %r: post_parent %d is not an item of the file: it '
                    'is imported at the top level' % (p['type'], p['id'], p['title'][:40],
                                                      p['parent']))

    # terms of items
    post_terms = {}
    for p in imported:
        ts = set()
        for domain, slug, name in p['terms']:
            tax = 'post_tag' if domain == 'tag' else domain
            label = '%s %d %r' % (p['type'], p['id'], p['title'][:40])
            if tax not in TAXONOMIES:
                err('taxonomy: %s: <category domain=%r>: taxonomy not registered, the term is '
                    'not set' % (label, domain))
                continue
            key = term_exists(tax, slug)
            if key is None:
                if tax == 'category':
                    err('category_undeclared: %s: category %r is not a declared wp:category: '
                        'created on the fly, at the top level and with no description'
                        % (label, slug))
                else:
                    warn('term_undeclared: %s: %s %r is not declared: created on the fly '
                         'from the item' % (label, tax, slug))
                key = sanitize_title(slug)
                created[tax][key] = {'name': name, 'parent': ''}
            ts.add((tax, key))
        post_terms[p['id']] = ts

    # postmeta
    for p in imported + menu_items:
        label = '%s %d %r' % (p['type'], p['id'], p['title'][:40])
        for k, v in p['meta']:
            if is_serialized(v) and not unserialize_ok(v):
                err('serialized: %s: meta %r looks serialized but does not unserialize: '
                    'maybe_unserialize() stores false' % (label, k))
            if k == '_thumbnail_id' and p['type'] != 'nav_menu_item':
                t = processed_posts.get(php_int(v))
                if t is None or t['type'] != 'attachment':
                    err('thumbnail: %s: _thumbnail_id %s is not an attachment item of the '
                        'file: it keeps pointing at the old id' % (label, v))

    # comments (process_posts: ksort, inserted_comments)
    comment_status = collections.Counter()
    comment_parents = {}
    ncomments = 0
    for p in imported:
        label = '%s %d %r' % (p['type'], p['id'], p['title'][:40])
        byid = {}
        for cm in p['comments']:
            cid = php_int(Ws(cm, 'comment_id'))
            if cid in byid:
                err('comment_id: %s: comment_id %d twice: the second overwrites the first'
                    % (label, cid))
            byid[cid] = cm
            for m in cm.findall('{%s}commentmeta' % wp):
                v = Ws(m, 'meta_value')
                if is_serialized(v) and not unserialize_ok(v):
                    err('serialized: %s comment %d: meta %r does not unserialize'
                        % (label, cid, Ws(m, 'meta_key')))
        inserted = set()
        for cid in sorted(byid):
            cm = byid[cid]
            parent = php_int(Ws(cm, 'comment_parent'))
            if parent:
                if parent in inserted:
                    comment_parents[(p['id'], cid)] = parent
                else:
                    where = ('has a larger id' if parent in byid else
                             'is not a comment of this item')
                    err('comment_parent: %s comment %d: parent %d %s: the comment keeps the '
                        'old id as parent, pointing at an unrelated comment'
                        % (label, cid, parent, where))
            ap = Ws(cm, 'comment_approved').strip()
            if ap not in APPROVED:
                err('comment_approved: %s comment %d: %r is not 1/0/spam/trash: stored as is, '
                    'the comment shows nowhere' % (label, cid, ap))
            d = Ws(cm, 'comment_date')
            if d and not valid_date(d):
                err('date: %s comment %d: comment_date %r' % (label, cid, d))
            comment_status[ap] += 1
            inserted.add(cid)
            ncomments += 1

    # menu items (process_menu_item, then backfill_parents)
    menus = {}
    menu_ids = {p['id'] for p in menu_items if p['status'] != 'draft'}
    positions = collections.defaultdict(list)
    for p in menu_items:
        label = 'nav_menu_item %d %r' % (p['id'], p['title'][:40])
        if p['status'] == 'draft':
            err('menu_draft: %s is a draft: process_menu_item skips it' % label)
            continue
        slug = next((s for d, s, _ in p['terms'] if d == 'nav_menu'), None)
        if not slug:
            err('menu_term: %s has no <category domain="nav_menu">: "Menu item skipped due to '
                'missing menu slug"' % label)
            continue
        if sanitize_title(slug) not in declared_terms.get('nav_menu', {}):
            err('menu_term: %s: menu %r is not a declared wp:term of taxonomy nav_menu: '
                '"Menu item skipped due to invalid menu slug"' % (label, slug))
            continue
        meta = dict(p['meta'])
        missing = [k for k in MENU_META if k not in meta]
        if [k for k in missing if k in MENU_META_VITAL]:
            err('menu_meta: %s lacks %s' % (label, ', '.join(missing)))
            continue
        if missing:
            warn('menu_meta: %s lacks %s (undefined variables)' % (label, ', '.join(missing)))
        typ, obj, oid = meta['_menu_item_type'], meta['_menu_item_object'], \
            php_int(meta['_menu_item_object_id'])
        if typ == 'taxonomy':
            t = processed_terms.get(oid)
            if t is None:
                err('menu_object: %s: term %d is not a declared term: the item is dropped'
                    % (label, oid))
                continue
            if t[0] != obj:
                err('term_id: %s: _menu_item_object_id %d is a %s term in the file (%s), '
                    'because term_ids are shared by %s: the item links to %s %r'
                    % (label, oid, obj, ', '.join('%s %s' % x for x in sorted(term_ids[oid])),
                       ' and '.join(sorted({x[0] for x in term_ids[oid]})), t[0], t[1]))
                continue
        elif typ == 'post_type':
            t = processed_posts.get(oid)
            if t is None:
                err('menu_object: %s: post %d is not an item of the file: the item is dropped'
                    % (label, oid))
                continue
            if t['type'] != obj:
                warn('menu_object: %s: _menu_item_object %r but item %d is a %s'
                     % (label, obj, oid, t['type']))
            if t['type'] == 'attachment':
                warn('menu_object: %s links attachment %d, imported only when fetched'
                     % (label, oid))
        elif typ == 'custom':
            if not meta.get('_menu_item_url'):
                warn('menu_object: %s: a custom link with no _menu_item_url' % label)
        else:
            err('menu_meta: %s: _menu_item_type %r is not custom/post_type/taxonomy: the item '
                'is dropped' % (label, typ))
            continue
        parent = php_int(meta['_menu_item_menu_item_parent'])
        if parent and (parent not in menu_ids or parent == p['id']):
            err('menu_parent: %s: parent %d is not a menu item of the file: it ends at the top '
                'level' % (label, parent))
            parent = 0
        if p['order'] == 0:
            warn('menu_order: %s has menu_order 0: wp_update_nav_menu_item appends it' % label)
        positions[slug].append(p['order'])
        menus[p['id']] = {'menu': slug, 'title': p['title'], 'parent': parent, 'type': typ,
                          'object': obj, 'object_id': oid, 'order': p['order']}
    for slug, ps in positions.items():
        if len(ps) != len(set(ps)):
            warn('menu_order: menu %r has items sharing a menu_order' % slug)
    # a parent dropped above leaves its children at the top level too
    for mid, m in menus.items():
        if m['parent'] and m['parent'] not in menus:
            err('menu_parent: nav_menu_item %d %r: its parent %d is not imported'
                % (mid, m['title'], m['parent']))
            m['parent'] = 0

    if attachments:
        warn('attachment: %d attachment(s) come in only with "Download and import file '
             'attachments" checked and their URLs answering (e.g. %s)'
             % (len(attachments), attachments[0]['attachment_url'] or attachments[0]['guid']))

    posts = collections.Counter()
    for p in imported:
        if p['type'] != 'attachment':
            posts[(p['type'], p['final_status'])] += 1
    counts.update({
        'posts': posts,                     # (post_type, status after wp_insert_post): n
        'titles': {p['id']: p['title'] for p in imported},
        'sticky': {p['id'] for p in imported if p['sticky'] == 1 and p['type'] == 'post'},
        'password': {p['id'] for p in imported if p['password']},
        'page_parents': page_parents,       # child id: parent id
        'attachments': len(attachments),
        'categories': {k: v['parent'] for k, v in created['category'].items()},
        'declared_categories': {k: v['parent'] for k, v in
                                declared_terms.get('category', {}).items()},
        'tags': set(created['post_tag']),
        'terms': {(tax, k): v['parent'] for tax, d in created.items()
                  if tax not in ('category', 'post_tag') for k, v in d.items()},
        'post_terms': post_terms,           # post id: {(taxonomy, slug)}
        'comments': ncomments,
        'comment_status': comment_status,   # comment_approved value: n
        'comment_parents': comment_parents,  # (post id, comment id): parent comment id
        'menu_items': menus,                # menu item id: {menu, title, parent, ...}
    })
    return errors, warnings, counts


def main(argv):
    if len(argv) != 2:
        sys.stderr.write('usage: wxr_accept.py FILE\n')
        return 2
    errors, warnings, counts = check(argv[1])
    for e in errors:
        print('error   ' + e)
    for w in warnings:
        print('warning ' + w)
    for k in ('version', 'posts', 'attachments', 'comments', 'comment_status'):
        if k in counts:
            print('%-14s %s' % (k, dict(counts[k]) if isinstance(counts[k], dict) else counts[k]))
    for k in ('authors', 'categories', 'tags', 'menu_items', 'comment_parents', 'page_parents',
              'sticky'):
        if k in counts:
            print('%-14s %d' % (k, len(counts[k])))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
