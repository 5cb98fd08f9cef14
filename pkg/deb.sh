#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# make deb: a Debian package of what `make install` installs, built from
# an existing build directory with dpkg-deb.
#
#   pkg/deb.sh BUILD_DIR [OUT_DIR]     -> OUT_DIR/ukmem_VERSION_ARCH.deb
#
# The files go under /usr: the libraries and their CMake package and
# pkg-config file in /usr/lib, headers in /usr/include/ukmem (only
# programs that ask - pkg-config --cflags ukmem, find_package(ukmem) -
# see ukmem's linux/*.h), the ukmem command and its manual page.
# Dependencies come from dpkg-shlibdeps when it is there (dpkg-dev),
# libc6 otherwise.
set -euo pipefail
build=$(cd "$1" && pwd)
out=$(cd "${2:-$1}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)

command -v dpkg-deb >/dev/null || { echo "pkg/deb.sh: dpkg-deb not found (apt-get install dpkg)" >&2; exit 1; }
version=$(sed -n 's/^#define UKMEM_VERSION[[:space:]]*"\(.*\)"/\1/p' "$build/include/ukmem/version.h")
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

DESTDIR="$root" cmake --install "$build" --prefix /usr >/dev/null
# No debug sections in what is installed (Debian policy); the symbol
# tables stay, for the names in stack traces of reports.
find "$root/usr" -type f \( -name '*.so*' -o -path '*/bin/*' \) -exec strip --strip-debug {} +
find "$root/usr" -type f -name '*.a' -exec strip --strip-debug {} +
gzip -9n "$root/usr/share/man/man1/ukmem.1"
install -d "$root/usr/share/doc/ukmem"
install -m 644 "$src/README.md" "$root/usr/share/doc/ukmem/README.md"
cat >"$root/usr/share/doc/ukmem/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ukmem
Files: *
License: MIT
COPYRIGHT

depends="libc6"
if command -v dpkg-shlibdeps >/dev/null; then
	# dpkg-shlibdeps wants a debian/control; give it a minimal one.
	mkdir -p "$root/debian"
	printf 'Source: ukmem\n\nPackage: ukmem\nArchitecture: any\n' >"$root/debian/control"
	if deps=$(cd "$root" && dpkg-shlibdeps -O -e usr/bin/ukmem -e usr/lib/libukmem.so.* \
			2>/dev/null); then
		depends=${deps#shlibs:Depends=}
	fi
	rm -rf "$root/debian"
fi
size=$(du -sk "$root/usr" | cut -f1)
install -d "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: ukmem
Version: $version
Architecture: $arch
Maintainer: ukmem developers <ukmem@localhost>
Installed-Size: $size
Depends: $depends
Section: libdevel
Priority: optional
Description: the Linux kernel's memory allocators as a user-space library
 memblock, the zoned buddy page allocator, SLUB slab caches and kmalloc,
 vmalloc, mempools and per-CPU memory, with the kernel's /proc reports,
 under the kernel's header names; a malloc front end any program can
 preload (ukmem run); a live view and pictures of a program's memory
 (ukmem top, ukmem map).
CONTROL
cat >"$root/DEBIAN/triggers" <<TRIGGERS
activate-noawait ldconfig
TRIGGERS
deb="$out/ukmem_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
