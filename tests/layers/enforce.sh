#!/bin/sh
# enforce.sh CC LAYERS_DIR SRC - the build itself refuses an include that crosses the layers:
# each layer's sources are compiled against LAYERS_DIR/<layer>/, which links only the layers
# it may include. A file that includes a header of a higher layer must not compile there,
# and the same file must compile in a layer that may include it.
set -eu
cc=$1; layers=$2; src=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad=0
# layer, a header it may not include, a layer that may
while read -r layer header upper; do
	printf '#include "%s"\nint tl_layers_probe(void);\nint tl_layers_probe(void) { return 0; }\n' \
		"$header" > "$tmp/probe.c"
	if "$cc" -std=c11 -D_GNU_SOURCE -fsyntax-only -I "$layers/$layer" "$tmp/probe.c" \
		2> "$tmp/err"; then
		echo "$layer: \"$header\" compiled, but $layer may not include it"; bad=1
	fi
	if ! "$cc" -std=c11 -D_GNU_SOURCE -fsyntax-only -I "$layers/$upper" "$tmp/probe.c" \
		2> "$tmp/err"; then
		echo "$upper: \"$header\" did not compile:"; cat "$tmp/err"; bad=1
	fi
done <<LIST
util input/record.h input
input case/case.h case
case model/findings.h model
model analysis/engine.h analysis
render analysis/engine.h provenance
analysis render/chart/chart.h provenance
LIST
[ $bad = 0 ] && echo "layers: the build refuses each upward include tried"
exit $bad
