/*
 * assets — the files kigend's pages load (daemon/assets/: the stylesheet,
 * the one small script, the icon), compiled into the binary: the Makefile
 * turns each into a byte array (xxd -i) in $(B)/daemon/assets.c, so a page
 * needs no file at run time and nothing from elsewhere.
 */
#ifndef KG_ASSETS_H
#define KG_ASSETS_H

#include <stddef.h>

struct kg_asset {
	const char *name;              /* "style.css": its file name */
	const unsigned char *bytes;
	size_t len;
};

/* Every asset, then one with name NULL. */
extern const struct kg_asset kg_assets[];

#endif
