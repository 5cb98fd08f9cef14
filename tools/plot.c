/* SPDX-License-Identifier: MIT */
/*
 * tools/plot.c - `ukmem plot`: the figures `ukmem run --record` and `ukmem
 * top --record` sampled while a program ran, drawn as SVG time series.
 *
 * A recording (tools/top.c, record_sample()) is text, one figure a line:
 * milliseconds since the first sample, a key, a value; "#" lines are
 * comments.  The keys: rss_kb, free_pages, pcp_pages, slab_bytes,
 * managed:NODE:ZONE, free:NODE:ZONE:ORDER (free blocks of that order, as
 * buddyinfo), slab:CACHE (bytes).  Unknown keys are skipped, so a newer
 * recording still draws.
 *
 * The picture has five panels over one time axis: memory (RSS, free,
 * slab, per-CPU lists); free pages by order, stacked; slab bytes of the
 * largest caches; and two fragmentation indices per order for one zone
 * (--zone; default the largest), computed from the free blocks as the
 * kernel computes them for debugfs (mm/vmstat.c, CONFIG_COMPACTION):
 *   free_pages = sum of nr_free[o] << o, blocks = sum of nr_free[o],
 *   suitable(order) = sum over o >= order of nr_free[o] << (o - order);
 *   unusable_index(order) = (free_pages - (suitable << order)) / free_pages,
 *     1 when nothing is free: the share of free memory in blocks too small;
 *   extfrag_index(order) = -1 when suitable > 0 (the allocation would
 *     succeed), 0 when nothing is free, else
 *     1 - (1 + free_pages / 2^order) / blocks: towards 0 the request fails
 *     for lack of memory, towards 1 for fragmentation.
 * Both in thousandths with integer division, as the kernel's, and printed
 * as it prints them ("%d.%03d") by --print, which writes the indices of
 * every sample and zone as text instead of the picture.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mm.h>
#include "tools/svg.h"
#include "tools/ukmem.h"

#define PLOT_CACHES	8		/* caches drawn one by one; the rest summed */
#define PLOT_ZONES	(MAX_NUMNODES * MAX_NR_ZONES)

struct series {
	char key[96];
	double *v;			/* one per sample; NAN where the sample lacks it */
};

struct recording {
	int pid;
	char comm[32];
	double *t;			/* seconds */
	int n, cap;
	struct series *s;
	int ns, scap, last;		/* last: where the previous lookup matched */
};

static struct series *series_of(struct recording *r, const char *key, bool create)
{
	int i, k;

	/* Keys come in the same order every sample: start after the last one. */
	for (k = 0; k < r->ns; k++) {
		i = (r->last + 1 + k) % r->ns;
		if (!strcmp(r->s[i].key, key)) {
			r->last = i;
			return &r->s[i];
		}
	}
	if (!create)
		return NULL;
	if (r->ns == r->scap) {
		struct series *s = realloc(r->s, (size_t)(r->scap * 2 + 16) * sizeof(*s));

		if (!s)
			return NULL;
		r->s = s;
		r->scap = r->scap * 2 + 16;
	}
	i = r->ns++;
	snprintf(r->s[i].key, sizeof(r->s[i].key), "%s", key);
	r->s[i].v = malloc((size_t)r->cap * sizeof(double));
	if (!r->s[i].v) {
		r->ns--;
		return NULL;
	}
	for (k = 0; k < r->cap; k++)
		r->s[i].v[k] = NAN;
	r->last = i;
	return &r->s[i];
}

static int add_sample(struct recording *r, double t)
{
	int i, k;

	if (r->n == r->cap) {
		int cap = r->cap * 2 + 64;
		double *nt = realloc(r->t, (size_t)cap * sizeof(double));

		if (!nt)
			return -ENOMEM;
		r->t = nt;
		for (i = 0; i < r->ns; i++) {
			double *v = realloc(r->s[i].v, (size_t)cap * sizeof(double));

			if (!v)
				return -ENOMEM;
			for (k = r->cap; k < cap; k++)
				v[k] = NAN;
			r->s[i].v = v;
		}
		r->cap = cap;
	}
	r->t[r->n++] = t;
	return 0;
}

static int read_recording(const char *path, struct recording *r, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[256], key[128];
	unsigned long ms, last_ms = (unsigned long)-1;
	double value;
	int lineno = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		struct series *s;

		lineno++;
		if (line[0] == '#') {
			sscanf(line, "# pid %d comm %31s", &r->pid, r->comm);
			continue;
		}
		if (sscanf(line, "%lu\t%127[^\t]\t%lf", &ms, key, &value) != 3) {
			snprintf(err, errlen, "%s:%d: not a line of a recording", path, lineno);
			fclose(f);
			return -EINVAL;
		}
		if (ms != last_ms && add_sample(r, ms / 1000.0)) {
			fclose(f);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		last_ms = ms;
		s = series_of(r, key, true);
		if (s)
			s->v[r->n - 1] = value;
	}
	fclose(f);
	if (!r->n) {
		snprintf(err, errlen, "%s: no samples (is it a recording of `ukmem run --record`?)",
			 path);
		return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Fragmentation, as mm/vmstat.c computes it                           */

struct contig_info {
	unsigned long free_pages, free_blocks_total, free_blocks_suitable;
};

static void contig_info(const unsigned long nr_free[NR_PAGE_ORDERS], unsigned int order,
			struct contig_info *info)
{
	unsigned int o;

	memset(info, 0, sizeof(*info));
	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		info->free_blocks_total += nr_free[o];
		info->free_pages += nr_free[o] << o;
		if (o >= order)
			info->free_blocks_suitable += nr_free[o] << (o - order);
	}
}

/* In thousandths: 0 no fragmentation .. 1000 all free memory unusable. */
static int unusable_index(const unsigned long nr_free[NR_PAGE_ORDERS], unsigned int order)
{
	struct contig_info info;

	contig_info(nr_free, order, &info);
	if (!info.free_pages)
		return 1000;
	return (int)((info.free_pages - (info.free_blocks_suitable << order)) * 1000ULL /
		     info.free_pages);
}

/* In thousandths: -1000 the request would succeed; 0 lack of memory .. 1000 fragmentation. */
static int extfrag_index(const unsigned long nr_free[NR_PAGE_ORDERS], unsigned int order)
{
	struct contig_info info;

	contig_info(nr_free, order, &info);
	if (!info.free_blocks_total)
		return 0;
	if (info.free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info.free_pages * 1000ULL / (1UL << order)) /
			    info.free_blocks_total);
}

/* The zones a recording has ("NODE:ZONE"), in the order first seen. */
static int zones_of(const struct recording *r, char zones[][24])
{
	int i, j, nz = 0;

	for (i = 0; i < r->ns; i++) {
		char zone[24], name[16];
		int nid, o;

		if (sscanf(r->s[i].key, "free:%d:%15[^:]:%d", &nid, name, &o) != 3)
			continue;
		snprintf(zone, sizeof(zone), "%d:%s", nid, name);
		for (j = 0; j < nz && strcmp(zones[j], zone); j++)
			;
		if (j == nz && nz < PLOT_ZONES)
			strcpy(zones[nz++], zone);
	}
	return nz;
}

/* The free blocks per order of @zone at sample @i; false if the sample lacks them. */
static bool zone_free(struct recording *r, const char *zone, int i,
		      unsigned long nr_free[NR_PAGE_ORDERS])
{
	char key[64];
	int o;

	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		struct series *s;

		snprintf(key, sizeof(key), "free:%s:%d", zone, o);
		s = series_of(r, key, false);
		if (!s || isnan(s->v[i]))
			return false;
		nr_free[o] = (unsigned long)s->v[i];
	}
	return true;
}

static void print_index(int index)
{
	/* The kernel's "%d.%03d" of a value in thousandths (-1000 is "-1.000"). */
	printf(" %d.%03d", index / 1000, abs(index % 1000));
}

static int print_indices(struct recording *r)
{
	char zones[PLOT_ZONES][24];
	int nz = zones_of(r, zones), i, z;
	unsigned int o;

	for (i = 0; i < r->n; i++) {
		for (z = 0; z < nz; z++) {
			unsigned long nr_free[NR_PAGE_ORDERS];
			char *colon = strchr(zones[z], ':');

			if (!zone_free(r, zones[z], i, nr_free))
				continue;
			printf("%.3f unusable_index Node %.*s, zone %8s", r->t[i],
			       (int)(colon - zones[z]), zones[z], colon + 1);
			for (o = 0; o < NR_PAGE_ORDERS; o++)
				print_index(unusable_index(nr_free, o));
			printf("\n%.3f extfrag_index  Node %.*s, zone %8s", r->t[i],
			       (int)(colon - zones[z]), zones[z], colon + 1);
			for (o = 0; o < NR_PAGE_ORDERS; o++)
				print_index(extfrag_index(nr_free, o));
			putchar('\n');
		}
	}
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Panels                                                               */

#define PLOT_LEFT	90
#define PLOT_W		760
#define PLOT_H		170
#define PANEL_H		(PLOT_H + 70)
#define LEGEND_W	280

struct line {
	char name[72];
	double *v;			/* r->n values, NAN for a gap */
	const char *colour;
};

/* A round step for about @n ticks over @span. */
static double nice_step(double span, int n)
{
	double raw = span / n, mag = pow(10, floor(log10(raw))), f = raw / mag;

	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

/*
 * One panel at @y: lines (or, @stacked, areas each on top of the one
 * before), a y axis from @ymin to @ymax (NAN: 0 to the largest value),
 * the time axis, a legend.  Values are divided by @scale for the axis.
 */
static void panel(FILE *f, const struct recording *r, int y, const char *id, const char *title,
		  struct line *lines, int nl, bool stacked, double ymin, double ymax, double scale)
{
	double tmax = r->t[r->n - 1] > r->t[0] ? r->t[r->n - 1] : r->t[0] + 1, step, v;
	double *base = NULL;
	int i, k, top = y + 30;

	if (isnan(ymax)) {
		ymin = 0;
		ymax = 0;
		for (i = 0; i < r->n; i++) {
			double sum = 0;

			for (k = 0; k < nl; k++) {
				if (isnan(lines[k].v[i]))
					continue;
				sum = stacked ? sum + lines[k].v[i] : fmax(sum, lines[k].v[i]);
			}
			ymax = fmax(ymax, sum / scale);
		}
		if (ymax <= 0)
			ymax = 1;
		ymax = ceil(ymax / nice_step(ymax, 4)) * nice_step(ymax, 4);
	}
	fprintf(f, "<g class=\"panel\" id=\"%s\" data-title=\"", id);
	svg_escape(f, title);
	fputs("\">\n", f);
	svg_text(f, PLOT_LEFT, y + 18, "class=\"h\"", "%s", title);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		"stroke=\"#bbb\"/>\n", PLOT_LEFT, top, PLOT_W, PLOT_H);
	/* Y grid and labels. */
	step = nice_step(ymax - ymin, 4);
	for (v = ceil(ymin / step) * step; v <= ymax + step / 1000; v += step) {
		double py = top + PLOT_H - (v - ymin) / (ymax - ymin) * PLOT_H;

		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>\n",
			PLOT_LEFT, PLOT_LEFT + PLOT_W, py, py);
		svg_text(f, PLOT_LEFT - 6, py + 4, "class=\"small\" text-anchor=\"end\"", "%g", v);
	}
	/* Time axis. */
	step = nice_step(tmax - r->t[0], 8);
	for (v = ceil(r->t[0] / step) * step; v <= tmax + step / 1000; v += step)
		svg_text(f, PLOT_LEFT + (v - r->t[0]) / (tmax - r->t[0]) * PLOT_W, top + PLOT_H + 14,
			 "class=\"small\" text-anchor=\"middle\"", "%gs", v);
	if (stacked) {
		base = calloc((size_t)r->n, sizeof(*base));
		if (!base)
			stacked = false;
	}
	for (k = 0; k < nl; k++) {
		bool open = false;

		fprintf(f, "<g class=\"series\" data-name=\"");
		svg_escape(f, lines[k].name);
		fputs("\">\n", f);
		for (i = 0; i < r->n; i++) {
			double px = PLOT_LEFT + (r->t[i] - r->t[0]) / (tmax - r->t[0]) * PLOT_W;
			double val = lines[k].v[i] / scale;

			if (isnan(val)) {
				if (open)
					fputs("\"/>\n", f);
				open = false;
				continue;
			}
			if (stacked)
				val += base[i];
			val = fmin(fmax(val, ymin), ymax);
			if (!open)
				fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
					"points=\"", lines[k].colour);
			fprintf(f, "%s%.1f,%.1f", open ? " " : "", px,
				top + PLOT_H - (val - ymin) / (ymax - ymin) * PLOT_H);
			open = true;
		}
		if (open)
			fputs("\"/>\n", f);
		if (stacked) {
			/* The band between the previous total and this one, filled. */
			fprintf(f, "<polygon fill=\"%s\" fill-opacity=\"0.7\" stroke=\"none\" points=\"",
				lines[k].colour);
			for (i = 0; i < r->n; i++) {
				double val = isnan(lines[k].v[i]) ? 0 : lines[k].v[i] / scale;

				fprintf(f, "%.1f,%.1f ",
					PLOT_LEFT + (r->t[i] - r->t[0]) / (tmax - r->t[0]) * PLOT_W,
					top + PLOT_H - fmin(base[i] + val, ymax) / ymax * PLOT_H);
			}
			for (i = r->n - 1; i >= 0; i--)
				fprintf(f, "%.1f,%.1f ",
					PLOT_LEFT + (r->t[i] - r->t[0]) / (tmax - r->t[0]) * PLOT_W,
					top + PLOT_H - fmin(base[i], ymax) / ymax * PLOT_H);
			fputs("\"/>\n", f);
			for (i = 0; i < r->n; i++)
				base[i] += isnan(lines[k].v[i]) ? 0 : lines[k].v[i] / scale;
		}
		fputs("</g>\n", f);
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>\n",
			PLOT_LEFT + PLOT_W + 16, top + 2 + 15 * k, lines[k].colour);
		svg_text(f, PLOT_LEFT + PLOT_W + 32, top + 11 + 15 * k, NULL, "%s", lines[k].name);
	}
	free(base);
	fputs("</g>\n", f);
}

static double *new_values(const struct recording *r, double fill)
{
	double *v = malloc((size_t)r->n * sizeof(*v));
	int i;

	for (i = 0; v && i < r->n; i++)
		v[i] = fill;
	return v;
}

static void add_into(double *dst, const double *src, int n, double factor)
{
	int i;

	for (i = 0; i < n; i++)
		if (!isnan(src[i]))
			dst[i] = (isnan(dst[i]) ? 0 : dst[i]) + src[i] * factor;
}

static int plot_svg(struct recording *r, FILE *f, const char *zone_arg, char *err, size_t errlen)
{
	static const char *const mem_keys[] = { "rss_kb", "free_pages", "slab_bytes", "pcp_pages" };
	static const char *const mem_names[] = { "RSS", "free", "slab", "per-CPU lists" };
	static const double mem_factor[] = { 1024, PAGE_SIZE, 1, PAGE_SIZE };
	struct line lines[NR_PAGE_ORDERS + PLOT_CACHES + 1];
	char zones[PLOT_ZONES][24], title[160], zone[24] = "";
	double best = -1, peak[PLOT_CACHES];
	int nz = zones_of(r, zones), nl, i, k, z, y = 50;
	unsigned int o;

	memset(lines, 0, sizeof(lines));
	/* The zone for the indices: --zone (NAME or NODE:NAME), else the largest. */
	for (z = 0; z < nz; z++) {
		const char *name = strchr(zones[z], ':') + 1;
		char key[64];
		struct series *s;

		if (zone_arg) {
			if (!strcmp(zone_arg, zones[z]) || !strcmp(zone_arg, name))
				snprintf(zone, sizeof(zone), "%.23s", zones[z]);
			continue;
		}
		snprintf(key, sizeof(key), "managed:%.23s", zones[z]);
		s = series_of(r, key, false);
		if (s && !isnan(s->v[0]) && s->v[0] > best) {
			best = s->v[0];
			snprintf(zone, sizeof(zone), "%.23s", zones[z]);
		}
	}
	if (!zone[0] && (zone_arg || nz)) {
		if (zone_arg) {
			snprintf(err, errlen, "no zone '%s' in the recording", zone_arg);
			return -EINVAL;
		}
		snprintf(zone, sizeof(zone), "%.23s", zones[0]);
	}
	snprintf(title, sizeof(title), "ukmem plot: pid %d (%s), %d samples over %.1f s", r->pid,
		 r->comm, r->n, r->t[r->n - 1] - r->t[0]);
	svg_begin(f, PLOT_LEFT + PLOT_W + LEGEND_W, 60 + 5 * PANEL_H, title, NULL);
	svg_text(f, 12, 24, "class=\"h\"", "%s", title);

	/* 1. Memory. */
	for (nl = 0, k = 0; k < (int)ARRAY_SIZE(mem_keys); k++) {
		struct series *s = series_of(r, mem_keys[k], false);

		if (!s || !(lines[nl].v = new_values(r, NAN)))
			continue;
		add_into(lines[nl].v, s->v, r->n, mem_factor[k]);
		snprintf(lines[nl].name, sizeof(lines[nl].name), "%s", mem_names[k]);
		lines[nl].colour = svg_colour(k);
		nl++;
	}
	panel(f, r, y, "memory", "memory (MiB)", lines, nl, false, 0, NAN, 1 << 20);
	y += PANEL_H;
	for (k = 0; k < nl; k++)
		free(lines[k].v);

	/* 2. Free pages by order, all zones, stacked. */
	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		lines[o].v = new_values(r, NAN);
		snprintf(lines[o].name, sizeof(lines[o].name), "order %u", o);
		lines[o].colour = svg_colour((int)o);
		for (i = 0; lines[o].v && i < r->ns; i++) {
			int nid, order;
			char zn[16];

			if (sscanf(r->s[i].key, "free:%d:%15[^:]:%d", &nid, zn, &order) == 3 &&
			    order == (int)o)
				add_into(lines[o].v, r->s[i].v, r->n, (double)(1UL << o));
		}
	}
	panel(f, r, y, "free", "free pages by order, all zones (stacked)", lines,
	      NR_PAGE_ORDERS, true, 0, NAN, 1);
	y += PANEL_H;
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		free(lines[o].v);

	/* 3. Slab bytes of the largest caches (by peak), the rest summed. */
	memset(lines, 0, sizeof(lines));
	for (k = 0; k < PLOT_CACHES; k++)
		peak[k] = -1;
	for (nl = 0, i = 0; i < r->ns; i++) {
		double p = 0;
		int at;

		if (strncmp(r->s[i].key, "slab:", 5))
			continue;
		for (k = 0; k < r->n; k++)
			if (!isnan(r->s[i].v[k]))
				p = fmax(p, r->s[i].v[k]);
		for (at = 0; at < PLOT_CACHES && peak[at] >= p; at++)
			;
		if (at == PLOT_CACHES)
			continue;
		memmove(&peak[at + 1], &peak[at], (PLOT_CACHES - 1 - at) * sizeof(*peak));
		memmove(&lines[at + 1], &lines[at], (PLOT_CACHES - 1 - at) * sizeof(*lines));
		peak[at] = p;
		lines[at].v = r->s[i].v;
		snprintf(lines[at].name, sizeof(lines[at].name), "%s", r->s[i].key + 5);
		nl = min(nl + 1, PLOT_CACHES);
	}
	lines[nl].v = new_values(r, NAN);
	for (i = 0; lines[nl].v && i < r->ns; i++) {
		bool shown = false;

		if (strncmp(r->s[i].key, "slab:", 5))
			continue;
		for (k = 0; k < nl; k++)
			shown |= lines[k].v == r->s[i].v;
		if (!shown)
			add_into(lines[nl].v, r->s[i].v, r->n, 1);
	}
	snprintf(lines[nl].name, sizeof(lines[nl].name), "other caches");
	for (k = 0; k <= nl; k++)
		lines[k].colour = svg_colour(k);
	panel(f, r, y, "slab", "slab by cache (KiB)", lines, nl + 1, false, 0, NAN, 1024);
	y += PANEL_H;
	free(lines[nl].v);

	/* 4, 5. The fragmentation indices of one zone, per order. */
	for (k = 0; k < 2; k++) {
		memset(lines, 0, sizeof(lines));
		for (o = 1; o < NR_PAGE_ORDERS; o++) {
			struct line *l = &lines[o - 1];

			l->v = new_values(r, NAN);
			snprintf(l->name, sizeof(l->name), "order %u", o);
			l->colour = svg_colour((int)o);
			for (i = 0; l->v && zone[0] && i < r->n; i++) {
				unsigned long nr_free[NR_PAGE_ORDERS];
				int index;

				if (!zone_free(r, zone, i, nr_free))
					continue;
				index = k ? extfrag_index(nr_free, o) : unusable_index(nr_free, o);
				/* -1: the request would succeed; no point to draw. */
				l->v[i] = index < 0 ? NAN : index / 1000.0;
			}
		}
		snprintf(title, sizeof(title), k ?
			 "extfrag_index of zone %s (gaps: the request would succeed)" :
			 "unusable_index of zone %s", zone[0] ? zone : "(none)");
		panel(f, r, y, k ? "extfrag_index" : "unusable_index", title, lines,
		      NR_PAGE_ORDERS - 1, false, 0, 1, 1);
		y += PANEL_H;
		for (o = 0; o < NR_PAGE_ORDERS - 1; o++)
			free(lines[o].v);
	}
	svg_end(f);
	return 0;
}

static void free_recording(struct recording *r)
{
	int i;

	for (i = 0; i < r->ns; i++)
		free(r->s[i].v);
	free(r->s);
	free(r->t);
}

int cmd_plot(int argc, char **argv)
{
	const char *output = NULL, *zone = NULL;
	bool print = false;
	const struct opt_value opts[] = {
		{ "--output", NULL, &output },
		{ "--zone", NULL, &zone },
		{ "--print", &print, NULL },
		{ NULL, NULL, NULL },
	};
	struct recording r = { 0 };
	char err[256];
	FILE *f;
	int rc;

	rc = parse_options("plot", &argc, argv, opts, false);
	if (rc)
		return rc;
	if (argc != 2)
		return usage_error("plot", argc < 2 ? "which recording? (ukmem run --record FILE)" :
				   "one recording at a time");
	if (read_recording(argv[1], &r, err, sizeof(err))) {
		fprintf(stderr, "ukmem plot: %s\n", err);
		free_recording(&r);
		return EXIT_FAIL;
	}
	if (print) {
		rc = print_indices(&r);
		free_recording(&r);
		return rc;
	}
	f = !output || !strcmp(output, "-") ? stdout : fopen(output, "w");
	if (!f) {
		fprintf(stderr, "ukmem plot: %s: %s\n", output, strerror(errno));
		free_recording(&r);
		return EXIT_FAIL;
	}
	rc = plot_svg(&r, f, zone, err, sizeof(err));
	if (rc)
		fprintf(stderr, "ukmem plot: %s\n", err);
	else if (ferror(f) || (f == stdout ? fflush(f) : fclose(f))) {
		fprintf(stderr, "ukmem plot: %s: %s\n", output ? output : "stdout", strerror(errno));
		rc = -EIO;
		f = stdout;
	}
	if (f != stdout && rc)
		fclose(f);
	free_recording(&r);
	return rc ? (rc == -EINVAL ? EXIT_USAGE : EXIT_FAIL) : EXIT_OK;
}
