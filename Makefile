# Makefile: the E-UE provisioning stack, for BOARD=host (default), armhf, mips.
#
#   make                      build everything the board has (daemons, tools, libraries)
#   make check                install what is missing, build, run every test (see README)
#   make demo                 install what is missing, build, bring up the lab, provision
#   make BOARD=armhf          cross-build the whole stack against a Debian armhf sysroot
#   make BOARD=mips check-unit  unit tests of the library-free layers under qemu-user
#   make VARIANT=san check-unit  unit tests under ASan/UBSan
#   make fuzz FUZZ_SECONDS=N  run every libFuzzer target for N seconds each
#
# Conventions (so a new file needs no Makefile change):
#   <layer>/*.c               -> build/<board>/lib/lib<layer>.a   (<layer>/main.c is the daemon)
#   ecm/main.c, eue/main.c    -> build/<board>/bin/ecmd, eued
#   tlv/tools/<name>.c        -> build/<board>/bin/<name>
#   tests/unit/<layer>/test_<name>.c -> one cmocka test program, linked with the fakes
#   tests/unit/platform/test_os_<name>.c -> the same, linked with the real OS layer
#   tests/fuzz/fuzz_<name>.c  -> a libFuzzer target; seeds in tests/fuzz/corpus/<name>/
#   deps/*.list               -> Debian packages `make deps` installs
#   tests/*/*.mk              -> make fragments (lab, bench) adding CHECK_TARGETS etc.
# A source file that includes a third-party header (OpenSSL, Net-SNMP, krb5,
# curl, c-ares) is left out on boards without libraries (mips).

BOARD ?= host
VARIANT ?=
FUZZ_SECONDS ?= 20
BUILD_ROOT := $(CURDIR)/build
include boards/$(BOARD)/board.mk

O := $(BUILD_ROOT)/$(BOARD)$(if $(VARIANT),-$(VARIANT))

WARN := -Wall -Wextra -Wshadow -Wcast-align -Wmissing-prototypes -Wstrict-prototypes \
	-Wpointer-arith -Wformat=2 -Wvla -Wnull-dereference -Werror
# 64-bit off_t and directory offsets on the 32-bit boards too (readdir on a
# large file system fails with EOVERFLOW without it).
# BOARD_HAS_LIBS: the one switch C sees, for a header that offers a stub
# where the library-backed file is left out (ecm/esafe_snmp.h).
CPPFLAGS := -I$(CURDIR) -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -DBOARD_HAS_LIBS=$(BOARD_HAS_LIBS) -MMD -MP
CFLAGS := -std=c11 $(WARN) $(BOARD_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS := $(BOARD_LDFLAGS) -Wl,--as-needed

ifeq ($(VARIANT),san)
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(VARIANT),fuzz)
CC := clang
CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wno-unknown-warning-option -DFUZZING
LDFLAGS += -fsanitize=address,undefined
endif

ifeq ($(BOARD_HAS_LIBS),1)
EXT_LIBS := -lnetsnmpagent -lnetsnmp -lkrb5 -lk5crypto -lcom_err -lssl -lcrypto -lcurl -lcares
CMOCKA_CPPFLAGS :=
CMOCKA_LIBS := -lcmocka
else
EXT_LIBS :=
# No cmocka for this board: a small source-compatible runner stands in.
CMOCKA_CPPFLAGS := -I$(CURDIR)/tests/unit/mini_cmocka
CMOCKA_LIBS :=
endif

# ---------------------------------------------------------------- sources
EXT_HDR_RE := ^\#include <(openssl|net-snmp|krb5|curl|ares|gssapi)
layer_srcs = $(filter-out $(1)/main.c,$(wildcard $(1)/*.c))
ifeq ($(BOARD_HAS_LIBS),1)
without_ext = $(1)
else
without_ext = $(filter-out $(shell grep -lE '$(EXT_HDR_RE)' $(1) /dev/null),$(1))
endif

LAYERS := $(BOARD_LAYERS)
# The OS-facing part of platform/: unit tests link tests/fake/ instead.
PLATFORM_OS_SRCS := $(wildcard $(addprefix platform/,clock.c rand.c net.c netlink.c))
PLATFORM_CORE_SRCS := $(filter-out $(PLATFORM_OS_SRCS),$(call layer_srcs,platform))
FAKE_SRCS := $(wildcard tests/fake/*.c)
MINI_CMOCKA_OBJ := $(if $(CMOCKA_LIBS),,$(O)/obj/tests/unit/mini_cmocka/mini_cmocka.o)

lib_of = $(O)/lib/lib$(1).a
LIB_LAYERS := $(filter-out platform,$(LAYERS))
LIBS_ALL := $(foreach l,$(LIB_LAYERS),$(call lib_of,$(l))) $(O)/lib/libplatform.a
LIB_OS := $(O)/lib/libplatform_os.a
LIB_FAKE := $(O)/lib/libfake.a

DAEMONS := $(if $(filter ecm,$(LAYERS)),$(O)/bin/ecmd) $(if $(filter eue,$(LAYERS)),$(O)/bin/eued)
TOOL_SRCS := $(call without_ext,$(wildcard tlv/tools/*.c))
TOOLS := $(patsubst tlv/tools/%.c,$(O)/bin/%,$(TOOL_SRCS))

UNIT_SRCS := $(call without_ext,$(foreach l,$(LAYERS),$(wildcard tests/unit/$(l)/test_*.c)))
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(UNIT_SRCS))

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD_ROOT)/host-fuzz/fuzz/%,$(FUZZ_SRCS))

SYSROOT_STAMP := $(if $(SYSROOT),$(SYSROOT)/.stamp)
obj = $(patsubst %.c,$(O)/obj/%.o,$(1))

# Quiet by default: one line per step; V=1 shows the commands.
ifeq ($(V),1)
say :=
else
say = @printf '  %-6s %s\n' $(1) $(patsubst $(BUILD_ROOT)/%,%,$(2));
endif

# ---------------------------------------------------------------- targets
.PHONY: all deps check check-unit unit-build check-fuzz fuzz fuzz-build fuzz-bins demo clean \
	sysroot size help
.DEFAULT_GOAL := all
# Keep objects that chained rules build (tests), so rebuilds stay incremental.
.SECONDARY:

CHECK_TARGETS :=
DEMO_TARGETS :=
-include $(sort $(wildcard tests/*/*.mk))

all: $(SYSROOT_STAMP) $(DAEMONS) $(TOOLS)

help:
	@sed -n '2,25p' Makefile

deps:
	@sh mk/deps.sh deps/*.list

# The armhf sysroot: Debian's armhf -dev packages unpacked into the build tree.
ifneq ($(SYSROOT),)
sysroot: $(SYSROOT)/.stamp
$(SYSROOT)/.stamp: mk/sysroot.sh deps/sysroot.list
	sh mk/sysroot.sh $(SYSROOT_ARCH) $(SYSROOT) $$(grep -v '^#' deps/sysroot.list)
	@touch $@
endif

# Objects depend on the flags' sources, so a flag change rebuilds them.
$(O)/obj/%.o: %.c Makefile boards/$(BOARD)/board.mk | $(SYSROOT_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/obj/tests/unit/%.o: tests/unit/%.c Makefile boards/$(BOARD)/board.mk | $(SYSROOT_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CMOCKA_CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/lib/libplatform.a: $(call obj,$(PLATFORM_CORE_SRCS))
$(O)/lib/libplatform_os.a: $(call obj,$(PLATFORM_OS_SRCS))
$(O)/lib/libfake.a: $(call obj,$(FAKE_SRCS))
define layer_lib
$(call lib_of,$(1)): $(call obj,$(call without_ext,$(call layer_srcs,$(1))))
endef
$(foreach l,$(LIB_LAYERS),$(eval $(call layer_lib,$(l))))

$(O)/lib/%.a:
	@mkdir -p $(@D)
	@rm -f $@
	$(call say,AR,$@)$(CROSS)ar rcs $@ $^

LINK = $(call say,LD,$@)$(CC) $(CFLAGS) -o $@ $(1) $(LDFLAGS) -Wl,--start-group $(2) -Wl,--end-group $(3)

# ecmd needs Net-SNMP only for its ESAFE-MIB view (ecm/esafe_snmp.c, boards
# with libraries); --as-needed keeps every other library off its NEEDED list.
$(O)/bin/ecmd: $(call obj,ecm/main.c) $(LIBS_ALL) $(LIB_OS)
	@mkdir -p $(@D)
	$(call LINK,$<,$(LIBS_ALL) $(LIB_OS),$(EXT_LIBS))

$(O)/bin/eued: $(call obj,eue/main.c) $(LIBS_ALL) $(LIB_OS)
	@mkdir -p $(@D)
	$(call LINK,$<,$(LIBS_ALL) $(LIB_OS),$(EXT_LIBS))

$(O)/bin/%: $(O)/obj/tlv/tools/%.o $(LIBS_ALL) $(LIB_OS)
	@mkdir -p $(@D)
	$(call LINK,$<,$(LIBS_ALL) $(LIB_OS),$(EXT_LIBS))

# Unit tests: the module under test from the layer libraries, the platform's
# OS part replaced by tests/fake/ (except test_os_*, which test the real one).
# One rule per layer (make allows one % per pattern): test_os_* of any layer.
define test_os_rule
$$(O)/tests/unit/$(1)/test_os_%: $$(O)/obj/tests/unit/$(1)/test_os_%.o $$(MINI_CMOCKA_OBJ) $$(LIBS_ALL) $$(LIB_OS)
	@mkdir -p $$(@D)
	$$(call LINK,$$< $$(MINI_CMOCKA_OBJ),$$(LIBS_ALL) $$(LIB_OS),$$(CMOCKA_LIBS) $$(EXT_LIBS))
endef
$(foreach l,$(LAYERS),$(eval $(call test_os_rule,$(l))))

$(O)/tests/unit/%: $(O)/obj/tests/unit/%.o $(MINI_CMOCKA_OBJ) $(LIBS_ALL) $(LIB_FAKE)
	@mkdir -p $(@D)
	$(call LINK,$< $(MINI_CMOCKA_OBJ),$(LIBS_ALL) $(LIB_FAKE),$(CMOCKA_LIBS) $(EXT_LIBS))

unit-build: $(SYSROOT_STAMP) $(UNIT_BINS)

# Run every unit test program (under qemu-user on cross boards).
check-unit: unit-build
	@sh mk/run-tests.sh "unit-$(BOARD)$(if $(VARIANT),-$(VARIANT))" "$(BUILD_ROOT)/results" "$(BOARD_RUN)" $(UNIT_BINS)

# ---------------------------------------------------------------- fuzzing
fuzz-build:
	@$(MAKE) --no-print-directory BOARD=host VARIANT=fuzz fuzz-bins

fuzz-bins: $(FUZZ_BINS)

$(BUILD_ROOT)/host-fuzz/fuzz/%: $(O)/obj/tests/fuzz/%.o $(LIBS_ALL) $(LIB_FAKE)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(LDFLAGS) -Wl,--start-group $(LIBS_ALL) $(LIB_FAKE) -Wl,--end-group $(EXT_LIBS)

# Replay every corpus, then fuzz each target briefly: part of `make check`.
check-fuzz: fuzz-build
	@sh mk/fuzz.sh replay "$(BUILD_ROOT)" "$(FUZZ_CHECK_SECONDS)" $(FUZZ_BINS)

FUZZ_CHECK_SECONDS ?= 5
fuzz: fuzz-build
	@sh mk/fuzz.sh run "$(BUILD_ROOT)" "$(FUZZ_SECONDS)" $(FUZZ_BINS)

# ---------------------------------------------------------------- the two commands
# One part of `make check`: a part that fails (a build error included) is
# recorded as "<name>-stopped" and the others still run; the summary decides
# the exit status, so a failure anywhere can never read as green.
check_part = $(MAKE) --no-print-directory $(2) || echo "0 1 0" > $(BUILD_ROOT)/results/$(1)-stopped

check: deps
	@rm -rf $(BUILD_ROOT)/results && mkdir -p $(BUILD_ROOT)/results
	@$(call check_part,build-host,BOARD=host all)
	@$(call check_part,unit-host-san,BOARD=host VARIANT=san check-unit)
	@$(call check_part,unit-armhf,BOARD=armhf all check-unit)
	@$(call check_part,unit-mips,BOARD=mips all check-unit)
	@$(call check_part,fuzz,check-fuzz)
	@$(foreach t,$(CHECK_TARGETS),$(call check_part,$(t),$(t));)
	@sh mk/summary.sh "$(BUILD_ROOT)/results"

demo: deps
	$(MAKE) --no-print-directory BOARD=host all
	$(if $(DEMO_TARGETS),$(MAKE) --no-print-directory $(DEMO_TARGETS))

size: all
	@$(CROSS)size $(DAEMONS) $(TOOLS)

clean:
	rm -rf $(BUILD_ROOT)

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)
