# kernels/kernels.mk - the library's own precompiled kernels, included by
# the Makefile.  See docs/kernel-objects.md.
#
#   make kernels   rebuilds kernels/bin/<module>-<target>.co from
#                  kernels/<module>.cl for every embedded gfx11, gfx10.3 and gfx9 target
#                  (kernels/build.sh; needs clang-19 and ld.lld-19).  The
#                  .co files are checked in, so building the library needs
#                  no GPU compiler.
#
# Every checked-in kernels/bin/*.co is embedded in libamdbare.{a,so}: a
# generated assembler file .incbin's each one and lays out the table
# src/kernels/registry.c searches.  A new module needs no edit here: add
# kernels/<module>.cl, run `make kernels`, commit the .co files.

# This file is included before the Makefile's first rule: keep `all` the
# default goal (restored at the end).
KERNELS_SAVED_GOAL := $(.DEFAULT_GOAL)

.PHONY: kernels
kernels:
	sh kernels/build.sh kernels/bin

KERNEL_BLOBS  := $(sort $(wildcard kernels/bin/*.co))
KERNEL_BLOB_S := $(BUILD)/gen/kernel_blobs.S
KERNEL_BLOB_O := $(BUILD)/obj/gen/kernel_blobs.o

# The directory itself is a prerequisite so that adding or removing a
# blob regenerates the table.
$(KERNEL_BLOB_S): $(KERNEL_BLOBS) kernels/bin kernels/gen-blobs.sh kernels/kernels.mk
	@mkdir -p $(dir $@)
	sh kernels/gen-blobs.sh $(KERNEL_BLOBS) > $@.tmp && mv $@.tmp $@

$(KERNEL_BLOB_O): $(KERNEL_BLOB_S) $(KERNEL_BLOBS)
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

LIB_OBJ += $(KERNEL_BLOB_O)

.DEFAULT_GOAL := $(KERNELS_SAVED_GOAL)
