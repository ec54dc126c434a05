# bench/genposts.awk - generate N articles of Markdown prose for the benchmark
# site, deterministically (fixed seed), from the word list below.
#
#   awk -v n=300 -v words=600 -v dir=DIR -v now=EPOCH -v seed=42 \
#       -v cats="news/city-hall culture/arts ..." -v authors="mara jon ..." \
#       -v tags="budget climate ..." -f bench/genposts.awk
#
# Writes DIR/N.md (the body: paragraphs, a sub-heading, a list, a quote,
# emphasis and a link - about `words` words) and prints one manifest line per
# article on stdout:  N<TAB>TITLE<TAB>CATEGORY<TAB>AUTHOR<TAB>TAGS<TAB>DATE
# (TAGS comma-separated; an empty field is "-"; DATE ISO-8601 UTC, 1 day to 3 years
# before `now`). POSIX awk (mawk, gawk, busybox).

BEGIN {
	if (n == "") n = 300
	if (words == "") words = 600
	if (seed == "") seed = 42
	srand(seed)
	nw = split("the city council said on monday that its budget for the coming year " \
		"would include new money for schools parks and public transport after " \
		"residents asked for more buses on the northern routes mayor harbour " \
		"district plan housing rent tenants landlord committee vote members " \
		"report review project cost million funding tax fares ferry bridge " \
		"station line service repairs water flood river bank storm winter summer " \
		"market shop restaurant kitchen chef owner family business workers union " \
		"strike wages contract agreement talks hospital nurses doctors clinic " \
		"patients waiting school teachers students parents classes exam results " \
		"library museum gallery exhibition artist theatre music festival season " \
		"team coach match league players goal win loss stadium crowd fans police " \
		"court judge trial officers board inquiry evidence witness statement " \
		"spokesperson minister government state national local regional provincial " \
		"election candidate campaign voters turnout ballot seat independent party " \
		"opposition motion meeting hearing public comment plans proposal approved " \
		"rejected delayed expected announced confirmed warned argued agreed " \
		"described estimated reported suggested planned opened closed built moved " \
		"changed reduced increased doubled several many most some few every each " \
		"other new old small large long short early late recent former current " \
		"first second third last next main central northern southern eastern " \
		"western quiet busy careful difficult simple clear open private hundreds " \
		"thousands residents neighbours visitors commuters drivers cyclists " \
		"pedestrians children elderly owners renters buyers sellers traders " \
		"fishermen dockworkers engineers planners officials staff volunteers " \
		"because although while when where since until before after during " \
		"through across along around between within without under over near " \
		"with from into about against toward upon this that these those there " \
		"here now then still already again also only even just more less much " \
		"very quite rather almost nearly perhaps probably certainly clearly " \
		"street avenue square harbourfront quay hill valley ward neighbourhood " \
		"road tunnel track platform depot terminal pier warehouse factory office " \
		"tower block estate garden playground pool rink field court hall chamber", W, " ")
	ncat = split(cats, C, " "); nau = split(authors, A, " "); ntag = split(tags, T, " ")
	if (ncat == 0) { C[1] = "-"; ncat = 1 }
	if (nau == 0) { A[1] = "-"; nau = 1 }
	for (i = 1; i <= n; i++) {
		do t = title(); while (t in seen)
		seen[t] = 1
		f = dir "/" i ".md"
		body(f)
		close(f)
		tg = ""
		k = int(rand() * 4)
		for (j = 0; j < k && ntag > 0; j++) {
			x = T[1 + int(rand() * ntag)]
			if (index("," tg ",", "," x ",") == 0) tg = tg (tg == "" ? "" : ",") x
		}
		if (tg == "") tg = "-"
		ts = now - 86400 - int(rand() * 3 * 365 * 86400)
		printf "%d\t%s\t%s\t%s\t%s\t%s\n", i, t, C[1 + int(rand() * ncat)],
			A[1 + int(rand() * nau)], tg, iso(ts)
	}
}

function w() { return W[1 + int(rand() * nw)] }
function cap(s) { return toupper(substr(s, 1, 1)) substr(s, 2) }
function between(lo, hi) { return lo + int(rand() * (hi - lo + 1)) }

function phrase(k,   s, i) {
	s = w()
	for (i = 1; i < k; i++) s = s " " w()
	return s
}

function title(   k) { k = between(6, 10); return cap(phrase(k)) }

# One sentence of 8-22 words; returns it, adds its length to `count`.
function sentence(   k, s, i, x, r) {
	k = between(8, 22)
	s = cap(w())
	for (i = 1; i < k; i++) {
		x = w()
		r = rand()
		if (r < 0.015) x = "**" x " " w() "**"
		else if (r < 0.03) x = "_" x "_"
		else if (r < 0.04) x = "[" x " " w() "](https://example.org/" w() "/" w() "/)"
		s = s ((rand() < 0.07 && i > 2) ? ", " : " ") x
	}
	count += k
	return s "."
}

function paragraph(lo, hi,   target, s) {
	target = count + between(lo, hi)
	s = sentence()
	while (count < target) s = s " " sentence()
	return s
}

function body(f,   sub_done, list_done, quote_done, i, k) {
	count = 0
	sub_done = list_done = quote_done = 0
	print paragraph(35, 60) "\n" > f
	while (count < words) {
		if (!sub_done && count > words / 2) {
			print "## " cap(phrase(between(3, 6))) "\n" > f
			sub_done = 1
		} else if (!list_done && count > words / 3) {
			k = between(3, 5)
			for (i = 0; i < k; i++) { print "- " cap(phrase(between(5, 11))) > f; count += 8 }
			print "" > f
			list_done = 1
		} else if (!quote_done && count > words * 2 / 3 && rand() < 0.5) {
			print "> " sentence() " " sentence() "\n" > f
			quote_done = 1
		}
		print paragraph(45, 100) "\n" > f
	}
}

# Epoch seconds -> YYYY-MM-DDTHH:MM:00Z (days-to-civil, proleptic Gregorian).
function iso(ts,   z, era, doe, yoe, y, doy, mp, d, m, sec) {
	z = int(ts / 86400); sec = ts - z * 86400
	z += 719468
	era = int(z / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	if (m <= 2) y++
	return sprintf("%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, int(sec / 3600), int(sec % 3600 / 60))
}
