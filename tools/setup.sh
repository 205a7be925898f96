#!/bin/sh
# setup.sh - the README's two set-up commands.
#   sh tools/setup.sh sample  installs what the build needs, builds, and writes the
#                             sample output from samples/ into build/sample/
#   sh tools/setup.sh test    installs what the build and the tests need, builds
#                             with gcc, -Werror and sanitizers, and with clang and
#                             -Werror, and runs every test in both builds
# Needs Debian 12 (bookworm) and root (or sudo) for apt-get.
set -eu
mode=${1:-}
case "$mode" in
sample|test) ;;
*) echo "usage: sh tools/setup.sh sample|test" >&2; exit 1 ;;
esac
cd "$(dirname "$0")/.."

build_deps="build-essential cmake pkg-config git libpcap-dev libldns-dev libjansson-dev
  zlib1g-dev libssl-dev libinih-dev libmaxminddb-dev tzdata libcairo2-dev libhpdf-dev libfontconfig-dev
  libidn2-dev libarchive-dev libqpdf-dev icc-profiles-free poppler-utils fonts-dejavu-core"
test_deps="libcmocka-dev openssl tshark clang jq poppler-utils qpdf groff-base mandoc libpdfbox2-java
  libactivation-java libjaxb-api-java default-jre-headless"

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

deps=$build_deps
[ "$mode" = test ] && deps="$deps $test_deps"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q
# shellcheck disable=SC2086
as_root apt-get install -y -q --no-install-recommends $deps

jobs=$(nproc 2>/dev/null || echo 2)
if [ "$mode" = sample ]; then
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTL_TESTS=OFF
	cmake --build build -j "$jobs"
	mkdir -p build/sample
	set -- samples/sensor1-ns1.pcap samples/sensor2-ns2.pcapng.gz samples/sensor3-ns3.pcap.gz \
		samples/sensor1-ns1-queries.log.gz samples/sensor3-ns3-pdns.csv.gz
	build/tealeaves inspect "$@" > build/sample/inspect.txt
	build/tealeaves inspect --json "$@" > build/sample/inspect.json
	build/tealeaves records "$@" > build/sample/records.jsonl
	build/tealeaves records --format tsv "$@" > build/sample/records.tsv
	build/tealeaves analyze samples/case.ini -o build/sample/findings.json
	build/tealeaves profile samples/case.ini > build/sample/profile.txt
	build/tealeaves report samples/case.ini -o build/sample/report.pdf \
		--charts build/sample/charts --csv build/sample/tables
	# check it as anyone receiving it would, and put the case in one archive
	build/tealeaves verify build/sample/report.pdf > build/sample/verify.txt
	build/tealeaves bundle samples/case.ini -o build/sample/case.tar > build/sample/bundle.txt
	# the first page as a picture (the README shows docs/report-page1.png, a copy)
	pdftoppm -png -r 60 -f 1 -l 1 -singlefile build/sample/report.pdf build/sample/report-page1
	cat build/sample/inspect.txt
	echo
	cat build/sample/profile.txt
	echo
	cat build/sample/verify.txt
	echo
	echo "sample output written to build/sample/:"
	wc -l build/sample/records.jsonl | sed 's/^/  /'
	ls -l build/sample | sed 's/^/  /'
else
	# gcc with AddressSanitizer and UBSan (no recovery), warnings as errors
	cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DTL_WERROR=ON -DTL_SANITIZE=ON
	cmake --build build-test -j "$jobs"
	ctest --test-dir build-test --output-on-failure -j "$jobs"
	# clang, optimised, warnings as errors: other warnings, other code generation
	CC=clang cmake -S . -B build-test-clang -DCMAKE_BUILD_TYPE=Release -DTL_WERROR=ON
	cmake --build build-test-clang -j "$jobs"
	ctest --test-dir build-test-clang --output-on-failure -j "$jobs"
fi
