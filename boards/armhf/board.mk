# boards/armhf/board.mk: 32-bit ARM Linux, the class of modem SoCs that run
# Linux.  Libraries come from a sysroot the build assembles from Debian's
# armhf packages (mk/sysroot.sh), not from multiarch co-installation, which
# clashes with the host's -dev packages when the mirrors lag.
# Size first, as a modem image needs (make bench, row 4: own code <= 256 KiB): -Os, Thumb-2 and
# unused functions and data dropped at link time: ecmd + eued 275.3 -> 230.5 KiB (text+data)
# against -O2 in ARM mode, measured on 3ca84c2.
CROSS := arm-linux-gnueabihf-
CC := $(CROSS)gcc
SYSROOT := $(BUILD_ROOT)/sysroot-armhf
SYSROOT_ARCH := armhf
SYSROOT_TRIPLET := arm-linux-gnueabihf
BOARD_CFLAGS := -Os -g -mthumb -ffunction-sections -fdata-sections -march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard \
	--sysroot=$(SYSROOT) -I$(SYSROOT)/usr/include -I$(SYSROOT)/usr/include/$(SYSROOT_TRIPLET)
BOARD_LDFLAGS := -Wl,--gc-sections -L$(SYSROOT)/usr/lib/$(SYSROOT_TRIPLET) -L$(SYSROOT)/lib/$(SYSROOT_TRIPLET) \
	-Wl,-rpath-link,$(SYSROOT)/usr/lib/$(SYSROOT_TRIPLET) -Wl,-rpath-link,$(SYSROOT)/lib/$(SYSROOT_TRIPLET)
BOARD_HAS_LIBS := 1
BOARD_LAYERS := platform tlv kerberos snmp-mibs ecm eue
# qemu-user runs the unit tests; -L points the dynamic loader at the sysroot.
BOARD_RUN := qemu-arm-static -L $(SYSROOT)
