package dev.solstice.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A strict reader of the zip archives {@code .npz} files are: one disk, entries stored or deflated, no
 * encryption. Every number in the archive is checked against the file before it is used: the central
 * directory must end where the end record starts, each entry's local header and data must lie before the
 * central directory without overlapping another entry's, the local header must agree with the central one,
 * and an entry is never inflated beyond its declared size, which itself may not exceed what deflate can
 * produce from the entry's compressed bytes. Memory grows with the bytes actually read or inflated, never
 * with a declared size. Any failure is a {@link MalformedFileException}.
 */
final class ZipArchive {
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int END_SIG = 0x06054b50;
    private static final int END64_SIG = 0x06064b50;
    private static final int LOCATOR64_SIG = 0x07064b50;
    private static final int DESCRIPTOR_SIG = 0x08074b50;
    private static final int END_SIZE = 22;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    private static final long U32_MAX = 0xffffffffL;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    /** Deflate expands at most about 1032:1; a claim beyond this ratio cannot be honest. */
    private static final long MAX_DEFLATE_RATIO = 1100;
    /** The largest entry read (the bytes of one .npy held in one Java array). */
    static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 64;

    /** One entry of the central directory, with its numbers checked against the file. */
    record Entry(String name, int flags, int method, long crc, long compressedSize, long size, long localOffset,
            long dataStart) {
        long dataEnd() {
            return dataStart + compressedSize;
        }
    }

    private final FileChannel ch;
    private final Path file;
    private final long fileSize;
    private final List<Entry> entries;

    private ZipArchive(FileChannel ch, Path file) throws IOException {
        this.ch = ch;
        this.file = file;
        this.fileSize = ch.size();
        this.entries = readDirectory();
    }

    /** Opens and checks the directory of an archive read through {@code ch}. */
    static ZipArchive open(FileChannel ch, Path file) throws IOException {
        return new ZipArchive(ch, file);
    }

    /** The entries, in central-directory order. */
    List<Entry> entries() {
        return entries;
    }

    private MalformedFileException bad(String what) {
        return new MalformedFileException(file, "not a valid .npz (zip) archive: " + what);
    }

    private MalformedFileException bad(Entry e, String what) {
        return new MalformedFileException(file, "entry " + Texts.quoted(e.name()) + " " + what);
    }

    // ---- the directory ------------------------------------------------------------------------------------

    private List<Entry> readDirectory() throws IOException {
        if (fileSize < END_SIZE) {
            throw bad(fileSize + " bytes, too short for the end-of-central-directory record");
        }
        // the end record is the last 22 bytes plus a comment of at most 65535 bytes; its comment length
        // must reach exactly to the end of the file
        int tail = (int) Math.min(fileSize, END_SIZE + 0xffff);
        ByteBuffer t = read(fileSize - tail, tail, "the end of the archive");
        long endPos = -1;
        for (int i = tail - END_SIZE; i >= 0; i--) {
            if (t.getInt(i) == END_SIG && i + END_SIZE + u16(t, i + 20) == tail) {
                endPos = fileSize - tail + i;
                t.position(i);
                break;
            }
        }
        if (endPos < 0) {
            throw bad("no end-of-central-directory record (truncated, or not a zip file)");
        }
        ByteBuffer end = t.slice().order(ByteOrder.LITTLE_ENDIAN);
        int disk = u16(end, 4);
        int cdDisk = u16(end, 6);
        long onDisk = u16(end, 8);
        long count = u16(end, 10);
        long cdSize = u32(end, 12);
        long cdOffset = u32(end, 16);
        long cdEnd = endPos;
        boolean zip64 = count == 0xffff || onDisk == 0xffff || cdSize == U32_MAX || cdOffset == U32_MAX;
        if (zip64) {
            if (endPos < 20) {
                throw bad("the end record asks for zip64 but there is no zip64 locator");
            }
            ByteBuffer loc = read(endPos - 20, 20, "the zip64 locator");
            if (loc.getInt(0) != LOCATOR64_SIG) {
                throw bad("the end record asks for zip64 but there is no zip64 locator");
            }
            long end64 = loc.getLong(8);
            if (u32(loc, 4) != 0 || u32(loc, 16) != 1) {
                throw bad("multi-disk archives are not supported");
            }
            if (end64 < 0 || end64 > endPos - 20 - 56) {
                throw bad("the zip64 end record offset " + Long.toUnsignedString(end64) + " lies outside the file");
            }
            ByteBuffer e64 = read(end64, 56, "the zip64 end record");
            if (e64.getInt(0) != END64_SIG) {
                throw bad("no zip64 end record where the locator points");
            }
            long recordSize = e64.getLong(4);
            if (recordSize != endPos - 20 - end64 - 12) {
                throw bad("the zip64 end record's size " + Long.toUnsignedString(recordSize)
                        + " does not reach the locator");
            }
            disk = (int) u32(e64, 16);
            cdDisk = (int) u32(e64, 20);
            onDisk = e64.getLong(24);
            count = e64.getLong(32);
            cdSize = e64.getLong(40);
            cdOffset = e64.getLong(48);
            cdEnd = end64;
        }
        if (disk != 0 || cdDisk != 0 || onDisk != count) {
            throw bad("multi-disk archives are not supported");
        }
        if (cdSize < 0 || cdOffset < 0 || cdOffset > cdEnd || cdSize != cdEnd - cdOffset) {
            throw bad("the central directory (" + Long.toUnsignedString(cdSize) + " bytes at "
                    + Long.toUnsignedString(cdOffset) + ") does not end where the end record starts (" + cdEnd + ")");
        }
        if (count < 0 || count > cdSize / CENTRAL_SIZE) {
            throw bad("the end record claims " + Long.toUnsignedString(count) + " entries, more than "
                    + cdSize + " bytes of central directory can hold");
        }
        if (cdSize > Integer.MAX_VALUE) {
            throw bad("a central directory of " + cdSize + " bytes is too large");
        }
        ByteBuffer cd = read(cdOffset, (int) cdSize, "the central directory");
        List<Entry> out = new ArrayList<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + CENTRAL_SIZE > cdSize || cd.getInt(p) != CENTRAL_SIG) {
                throw bad("central directory entry " + i + " is missing or has a bad signature");
            }
            int flags = u16(cd, p + 8);
            int method = u16(cd, p + 10);
            long crc = u32(cd, p + 16);
            long csize = u32(cd, p + 20);
            long size = u32(cd, p + 24);
            int nameLen = u16(cd, p + 28);
            int extraLen = u16(cd, p + 30);
            int commentLen = u16(cd, p + 32);
            int startDisk = u16(cd, p + 34);
            long offset = u32(cd, p + 42);
            int next = p + CENTRAL_SIZE + nameLen + extraLen + commentLen;
            if (next > cdSize) {
                throw bad("central directory entry " + i + " runs past the end of the directory");
            }
            String name = name(cd, p + CENTRAL_SIZE, nameLen, "central directory entry " + i);
            long[] wide = zip64Extra(cd, p + CENTRAL_SIZE + nameLen, extraLen, size == U32_MAX,
                    csize == U32_MAX, offset == U32_MAX, startDisk == 0xffff, name);
            size = size == U32_MAX ? wide[0] : size;
            csize = csize == U32_MAX ? wide[1] : csize;
            offset = offset == U32_MAX ? wide[2] : offset;
            startDisk = startDisk == 0xffff ? (int) wide[3] : startDisk;
            Entry e = new Entry(name, flags, method, crc, csize, size, offset, -1);
            if (startDisk != 0) {
                throw bad(e, "lies on disk " + startDisk + " (multi-disk archives are not supported)");
            }
            checkSupported(e);
            out.add(locate(e, cdOffset));
            p = next;
        }
        if (p != cdSize) {
            throw bad("the central directory has " + (cdSize - p) + " bytes after its " + count + " entries");
        }
        // entries (header, data and descriptor) must not overlap: overlapping entries are how a small archive
        // claims to hold far more than its size
        List<Entry> byOffset = new ArrayList<>(out);
        byOffset.sort(Comparator.comparingLong(Entry::localOffset));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry a = byOffset.get(i - 1);
            Entry b = byOffset.get(i);
            if (b.localOffset() < a.dataEnd() + descriptorSize(a)) {
                throw bad(b, "overlaps entry " + Texts.quoted(a.name()) + " (corrupt, or a zip bomb)");
            }
        }
        return List.copyOf(out);
    }

    private void checkSupported(Entry e) throws MalformedFileException {
        if ((e.flags() & 0x41) != 0 || (e.flags() & 0x2000) != 0) {
            throw bad(e, "is encrypted (Solstice reads unencrypted archives only)");
        }
        if (e.method() != STORED && e.method() != DEFLATED) {
            throw bad(e, "uses compression method " + e.method() + " (Solstice reads stored (0) and deflated (8)"
                    + " entries, as numpy.savez and savez_compressed write them)");
        }
        if (e.size() < 0 || e.compressedSize() < 0) {
            throw bad(e, "declares a size of 2^63 bytes or more");
        }
        if (e.method() == STORED && e.size() != e.compressedSize()) {
            throw bad(e, "is stored but declares " + e.size() + " bytes and " + e.compressedSize()
                    + " compressed bytes");
        }
        if (e.size() > MAX_ENTRY_BYTES) {
            throw bad(e, "declares " + e.size() + " bytes, more than Solstice reads from one entry ("
                    + MAX_ENTRY_BYTES + ")");
        }
        if (e.method() == DEFLATED && e.size() > 64 + MAX_DEFLATE_RATIO * e.compressedSize()) {
            throw bad(e, "claims " + e.size() + " bytes from " + e.compressedSize() + " deflated bytes, more than"
                    + " deflate can produce (a zip bomb, or corrupt)");
        }
    }

    /** Reads the local header of {@code e}, checks it against the central one and finds the data. */
    private Entry locate(Entry e, long cdOffset) throws IOException {
        long off = e.localOffset();
        if (off < 0 || off > cdOffset - LOCAL_SIZE) {
            throw bad(e, "has its local header at " + Long.toUnsignedString(off) + ", outside the "
                    + cdOffset + " bytes before the central directory");
        }
        ByteBuffer h = read(off, LOCAL_SIZE, "a local header");
        if (h.getInt(0) != LOCAL_SIG) {
            throw bad(e, "has no local header at byte " + off + " (bad signature)");
        }
        int flags = u16(h, 6);
        int method = u16(h, 8);
        int nameLen = u16(h, 26);
        int extraLen = u16(h, 28);
        long dataStart = off + LOCAL_SIZE + nameLen + extraLen;
        if (dataStart > cdOffset) {
            throw bad(e, "has a local header that runs into the central directory");
        }
        ByteBuffer ne = read(off + LOCAL_SIZE, nameLen + extraLen, "a local header");
        byte[] localName = new byte[nameLen];
        ne.get(0, localName);
        if (!Arrays.equals(localName, e.name().getBytes(StandardCharsets.UTF_8))) {
            throw bad(e, "has another name in its local header");
        }
        if (method != e.method() || (flags & 0x2041) != (e.flags() & 0x2041) || (flags & 8) != (e.flags() & 8)) {
            throw bad(e, "has a local header whose method or flags differ from the central directory's");
        }
        if ((flags & 8) == 0) {
            long crc = u32(h, 14);
            long csize = u32(h, 18);
            long size = u32(h, 22);
            if (csize == U32_MAX || size == U32_MAX) {
                long[] wide = zip64Extra(ne, nameLen, extraLen, size == U32_MAX, csize == U32_MAX, false, false,
                        e.name());
                size = size == U32_MAX ? wide[0] : size;
                csize = csize == U32_MAX ? wide[1] : csize;
            }
            if (crc != e.crc() || csize != e.compressedSize() || size != e.size()) {
                throw bad(e, "has a local header whose CRC or sizes differ from the central directory's");
            }
        }
        Entry located = new Entry(e.name(), e.flags(), e.method(), e.crc(), e.compressedSize(), e.size(),
                off, dataStart);
        if (e.compressedSize() > cdOffset - dataStart - descriptorSize(located)) {
            throw bad(e, "declares " + e.compressedSize() + " bytes of data at byte " + dataStart + ", past the "
                    + "start of the central directory at " + cdOffset + " (truncated or corrupt)");
        }
        return located;
    }

    /** The least room a data descriptor takes after {@code e}'s data (12 bytes: CRC and two sizes). */
    private static long descriptorSize(Entry e) {
        return (e.flags() & 8) == 0 ? 0 : 12;
    }

    /**
     * The zip64 extra field's values that replace saturated 32-bit ones, in the order the format gives them
     * (size, compressed size, local header offset, disk); a saturated field without its value is refused.
     */
    private long[] zip64Extra(ByteBuffer b, int at, int len, boolean size, boolean csize, boolean offset,
            boolean disk, String name) throws MalformedFileException {
        long[] out = {-1, -1, -1, -1};
        if (!size && !csize && !offset && !disk) {
            return out;
        }
        int p = at;
        int end = at + len;
        while (p + 4 <= end) {
            int id = u16(b, p);
            int n = u16(b, p + 2);
            if (p + 4 + n > end) {
                break;
            }
            if (id == 1) {
                int q = p + 4;
                boolean[] want = {size, csize, offset};
                for (int k = 0; k < 3; k++) {
                    if (want[k]) {
                        if (q + 8 > p + 4 + n) {
                            throw new MalformedFileException(file, "entry " + Texts.quoted(name)
                                    + " has a zip64 extra field too short for its sizes");
                        }
                        out[k] = b.getLong(q);
                        q += 8;
                    }
                }
                if (disk) {
                    if (q + 4 > p + 4 + n) {
                        throw new MalformedFileException(file, "entry " + Texts.quoted(name)
                                + " has a zip64 extra field too short for its disk number");
                    }
                    out[3] = u32(b, q);
                }
                return out;
            }
            p += 4 + n;
        }
        throw new MalformedFileException(file, "entry " + Texts.quoted(name)
                + " has saturated 32-bit fields but no zip64 extra field");
    }

    private String name(ByteBuffer b, int at, int len, String where) throws MalformedFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(b.slice(at, len)).toString();
        } catch (CharacterCodingException e) {
            throw bad(where + " has a name that is not valid UTF-8");
        }
    }

    // ---- data ---------------------------------------------------------------------------------------------

    /** The bytes of an entry, inflated if need be; the size and CRC-32 are checked. */
    byte[] bytes(Entry e) throws IOException {
        byte[] out = e.method() == STORED ? stored(e) : inflated(e);
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc()) {
            throw bad(e, "fails its CRC-32 check (corrupt)");
        }
        if ((e.flags() & 8) != 0) {
            checkDescriptor(e);
        }
        return out;
    }

    private byte[] stored(Entry e) throws IOException {
        byte[] out = new byte[(int) e.size()];
        ByteBuffer b = ByteBuffer.wrap(out);
        readFully(b, e.dataStart(), "the data of entry " + Texts.quoted(e.name()));
        return out;
    }

    /** Inflates into a buffer that grows with the output, stopping one byte past the declared size. */
    private byte[] inflated(Entry e) throws IOException {
        Inflater inf = new Inflater(true);
        try {
            byte[] out = new byte[(int) Math.min(e.size() + 1, 1 << 16)];
            int n = 0;
            long nextIn = e.dataStart();
            long inEnd = e.dataEnd();
            ByteBuffer in = ByteBuffer.allocate((int) Math.min(Math.max(inEnd - nextIn, 1), 1 << 16));
            while (!inf.finished()) {
                if (inf.needsInput()) {
                    if (nextIn >= inEnd) {
                        throw bad(e, "has deflate data that end early (truncated or corrupt)");
                    }
                    in.clear();
                    in.limit((int) Math.min(in.capacity(), inEnd - nextIn));
                    readFully(in, nextIn, "the data of entry " + Texts.quoted(e.name()));
                    nextIn += in.limit();
                    in.flip();
                    inf.setInput(in);
                }
                if (inf.needsDictionary()) {
                    throw bad(e, "has deflate data that need a preset dictionary (corrupt)");
                }
                if (n == out.length) {
                    if (n > e.size()) {
                        throw bad(e, "inflates to more than its declared " + e.size() + " bytes (a zip bomb, or"
                                + " corrupt)");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(e.size() + 1, 2L * out.length));
                }
                long readBefore = inf.getBytesRead();
                int got;
                try {
                    got = inf.inflate(out, n, out.length - n);
                } catch (DataFormatException ex) {
                    throw bad(e, "has corrupt deflate data: " + Texts.clip(String.valueOf(ex.getMessage())));
                }
                n += got;
                // a guard: with input and room for output, inflating always moves or ends
                if (got == 0 && inf.getBytesRead() == readBefore && !inf.finished() && !inf.needsInput()
                        && !inf.needsDictionary() && n < out.length) {
                    throw bad(e, "has deflate data that make no progress (corrupt)");
                }
            }
            if (n != e.size()) {
                throw bad(e, "inflates to " + (n > e.size() ? "more than" : String.valueOf(n)) + " bytes but declares "
                        + e.size() + " (corrupt)");
            }
            long unused = (inEnd - nextIn) + inf.getRemaining();
            if (unused != 0) {
                throw bad(e, "has " + unused + " bytes after the end of its deflate data (corrupt)");
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } finally {
            inf.end();
        }
    }

    /**
     * The data descriptor after a streamed entry must repeat the central directory's CRC and sizes; writers
     * differ in whether it has a signature and whether its sizes take 4 or 8 bytes, so each form is tried.
     */
    private void checkDescriptor(Entry e) throws IOException {
        long room = Math.min(fileSize - e.dataEnd(), 24);
        ByteBuffer d = read(e.dataEnd(), (int) room, "the data descriptor of entry " + Texts.quoted(e.name()));
        boolean ok = false;
        for (int start : new int[] {0, 4}) {
            if (start == 4 && d.getInt(0) != DESCRIPTOR_SIG) {
                continue;
            }
            if (start + 12 <= room && u32(d, start) == e.crc() && u32(d, start + 4) == e.compressedSize()
                    && u32(d, start + 8) == e.size()) {
                ok = true;
            }
            if (start + 20 <= room && u32(d, start) == e.crc() && d.getLong(start + 4) == e.compressedSize()
                    && d.getLong(start + 12) == e.size()) {
                ok = true;
            }
        }
        if (!ok) {
            throw bad(e, "has a data descriptor that disagrees with the central directory (corrupt)");
        }
    }

    // ---- bytes --------------------------------------------------------------------------------------------

    private ByteBuffer read(long position, int length, String what) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(b, position, what);
        return b.flip();
    }

    private void readFully(ByteBuffer b, long position, String what) throws IOException {
        if (position < 0 || position > fileSize - b.remaining()) {
            throw new MalformedFileException(file, what + " lies past the end of the file (truncated or corrupt)");
        }
        long p = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new MalformedFileException(file, what + " lies past the end of the file (truncated)");
            }
            p += r;
        }
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & U32_MAX;
    }
}
