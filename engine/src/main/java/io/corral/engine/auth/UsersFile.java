package io.corral.engine.auth;

import io.corral.engine.config.ConfigurationException;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The users file: one {@code user:realm:algorithm:HA1hex} line per user, realm and algorithm, where
 * HA1 = H(user ":" realm ":" password) (RFC 7616 §3.4.2); never a password. Blank lines and lines starting with
 * {@code #} are ignored. The user name is everything before the first colon, the algorithm and HA1 the last two
 * fields, the realm what lies between (so an IPv6 realm keeps its colons).
 * <p>
 * {@link #load()} reads the file into an immutable {@link Users} snapshot that SIP agents look up without locks or
 * allocation; a later {@link #load()} (reload on demand) swaps in a new snapshot, and a bad file keeps the old one.
 * {@link #save()} writes the entries atomically with mode 0600. Loading and editing belong to one thread (the
 * conductor, or a tool); {@link #users()} may be read from any thread.
 */
public final class UsersFile
{
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private volatile Users users = new Users(List.of());

    /**
     * @param file path of the users file; a missing file holds no users.
     */
    public UsersFile(final Path file)
    {
        this.file = file;
    }

    /**
     * @return path of the file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Read the file (again). A missing file means no users: every credential fails.
     *
     * @return this.
     * @throws ConfigurationException naming the file and line when it cannot be read or a line is bad; the
     *                                previous snapshot stays in use.
     */
    public UsersFile load()
    {
        final List<Entry> read = new ArrayList<>();
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            replace(read);
            return this;
        }
        catch (final IOException ex)
        {
            throw new ConfigurationException("cannot read users file " + file + ": " + ex.getMessage());
        }
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final Entry entry = parse(line);
            if (entry == null)
            {
                throw new ConfigurationException("users file " + file + " line " + (i + 1) +
                    ": expected user:realm:algorithm:HA1 (algorithm MD5 or SHA-256, HA1 in hex of its length)");
            }
            read.add(entry);
        }
        replace(read);
        return this;
    }

    /**
     * @return the snapshot agents look users up in; replaced by every {@link #load()} and edit.
     */
    public Users users()
    {
        return users;
    }

    /**
     * @return every entry in file order.
     */
    public List<Entry> entries()
    {
        return Collections.unmodifiableList(entries);
    }

    /**
     * Add or replace the entry of a user, realm and algorithm (in memory; {@link #save()} writes it).
     *
     * @param entry the entry.
     */
    public void put(final Entry entry)
    {
        final List<Entry> updated = new ArrayList<>(entries);
        boolean replaced = false;
        for (int i = 0; i < updated.size(); i++)
        {
            final Entry existing = updated.get(i);
            if (existing.user().equals(entry.user()) && existing.realm().equals(entry.realm()) &&
                existing.algorithm() == entry.algorithm())
            {
                updated.set(i, entry);
                replaced = true;
            }
        }
        if (!replaced)
        {
            updated.add(entry);
        }
        replace(updated);
    }

    /**
     * Remove every entry of a user in a realm (in memory; {@link #save()} writes it).
     *
     * @param user  user name.
     * @param realm realm.
     * @return how many entries were removed.
     */
    public int remove(final String user, final String realm)
    {
        final List<Entry> updated = new ArrayList<>(entries);
        final int before = updated.size();
        updated.removeIf((entry) -> entry.user().equals(user) && entry.realm().equals(realm));
        replace(updated);
        return before - updated.size();
    }

    /**
     * Write every entry: to a temporary file created with mode 0600 beside the file, then moved over it, so a
     * reader never sees half a file and the hashes are never readable by others.
     *
     * @throws ConfigurationException if the file cannot be written.
     */
    public void save()
    {
        final StringBuilder text = new StringBuilder(
            "# Corral users: user:realm:algorithm:HA1 (HA1 = H(user:realm:password)); edit with bin/corral-user\n");
        for (final Entry entry : entries)
        {
            text.append(entry.user()).append(':').append(entry.realm()).append(':')
                .append(DigestAlgorithm.name(entry.algorithm())).append(':').append(entry.ha1Hex()).append('\n');
        }
        final Path directory = file.toAbsolutePath().getParent();
        final Path tmp = directory.resolve(file.getFileName() + ".tmp");
        try
        {
            Files.createDirectories(directory);
            Files.deleteIfExists(tmp);
            createOwnerOnly(tmp);
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try
            {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            throw new ConfigurationException("cannot write users file " + file + ": " + ex);
        }
    }

    /**
     * Create an empty file readable and writable by its owner only (where the file system has POSIX permissions).
     *
     * @param path the file to create; must not exist.
     * @throws IOException if it cannot be created.
     */
    static void createOwnerOnly(final Path path) throws IOException
    {
        try
        {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.createFile(path);
        }
    }

    /**
     * @param user      user name.
     * @param realm     realm.
     * @param algorithm {@link DigestAlgorithm#MD5} or {@link DigestAlgorithm#SHA_256}.
     * @param password  the password, used once and not kept.
     * @return the entry holding HA1 for the password.
     */
    public static Entry entry(final String user, final String realm, final int algorithm, final char[] password)
    {
        return new Entry(user, realm, algorithm, DigestAlgorithm.ha1Hex(algorithm, user, realm, password));
    }

    /**
     * @param user a user name.
     * @return true if it can be stored: non-empty, printable non-space characters, no colon, quote or backslash.
     */
    public static boolean isValidUser(final String user)
    {
        if (user.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < user.length(); i++)
        {
            final char c = user.charAt(i);
            if (c <= ' ' || c == 0x7F || c == ':' || c == '"' || c == '\\')
            {
                return false;
            }
        }
        return true;
    }

    private void replace(final List<Entry> updated)
    {
        entries.clear();
        entries.addAll(updated);
        users = new Users(updated);
    }

    private static Entry parse(final String line)
    {
        final int first = line.indexOf(':');
        final int last = line.lastIndexOf(':');
        final int beforeLast = last > 0 ? line.lastIndexOf(':', last - 1) : -1;
        if (first <= 0 || beforeLast <= first)
        {
            return null;
        }
        final String user = line.substring(0, first);
        final String realm = line.substring(first + 1, beforeLast);
        final int algorithm = DigestAlgorithm.parse(line.substring(beforeLast + 1, last));
        final String ha1Hex = line.substring(last + 1).toLowerCase(Locale.ROOT);
        if (!isValidUser(user) || algorithm == DigestAlgorithm.NONE ||
            ha1Hex.length() != 2 * DigestAlgorithm.digestBytes(algorithm) || Hex.parse(ha1Hex) == null)
        {
            return null;
        }
        return new Entry(user, realm, algorithm, ha1Hex);
    }

    /**
     * One line of the file.
     *
     * @param user      user name.
     * @param realm     realm.
     * @param algorithm {@link DigestAlgorithm#MD5} or {@link DigestAlgorithm#SHA_256}.
     * @param ha1Hex    HA1 in lower-case hex.
     */
    public record Entry(String user, String realm, int algorithm, String ha1Hex)
    {
    }

    /**
     * An immutable lookup table from (user, realm, algorithm) to HA1, searched over the bytes of a request without
     * allocation. Safe to share between threads.
     */
    public static final class Users
    {
        private final byte[][] userBytes;
        private final byte[][] realmBytes;
        private final int[] algorithms;
        private final byte[][] ha1HexBytes;
        private final int[] slots;
        private final int mask;

        Users(final List<Entry> entries)
        {
            final int count = entries.size();
            userBytes = new byte[count][];
            realmBytes = new byte[count][];
            algorithms = new int[count];
            ha1HexBytes = new byte[count][];
            int capacity = 16;
            while (capacity < 2 * count)
            {
                capacity <<= 1;
            }
            slots = new int[capacity];
            Arrays.fill(slots, -1);
            mask = capacity - 1;
            for (int i = 0; i < count; i++)
            {
                final Entry entry = entries.get(i);
                userBytes[i] = entry.user().getBytes(StandardCharsets.UTF_8);
                realmBytes[i] = entry.realm().getBytes(StandardCharsets.UTF_8);
                algorithms[i] = entry.algorithm();
                ha1HexBytes[i] = entry.ha1Hex().getBytes(StandardCharsets.US_ASCII);
                int slot = hash(userBytes[i], entry.algorithm()) & mask;
                while (slots[slot] >= 0)
                {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = i;
            }
        }

        /**
         * @return number of entries.
         */
        public int size()
        {
            return algorithms.length;
        }

        /**
         * @param buffer     holding the user name.
         * @param offset     of the user name.
         * @param length     of the user name.
         * @param realm      realm, as bytes.
         * @param algorithm  {@link DigestAlgorithm#MD5} or {@link DigestAlgorithm#SHA_256}.
         * @return the entry index for {@link #ha1Hex(int)}, or -1 if there is none.
         */
        public int find(
            final DirectBuffer buffer, final int offset, final int length, final byte[] realm, final int algorithm)
        {
            int h = algorithm;
            for (int i = 0; i < length; i++)
            {
                h = 31 * h + buffer.getByte(offset + i);
            }
            for (int slot = mix(h) & mask; slots[slot] >= 0; slot = (slot + 1) & mask)
            {
                final int index = slots[slot];
                if (algorithms[index] == algorithm && Arrays.equals(realmBytes[index], realm) &&
                    equals(userBytes[index], buffer, offset, length))
                {
                    return index;
                }
            }
            return -1;
        }

        /**
         * @param index from {@link #find}.
         * @return HA1 as lower-case hex ASCII, shared: do not modify.
         */
        public byte[] ha1Hex(final int index)
        {
            return ha1HexBytes[index];
        }

        private static boolean equals(final byte[] bytes, final DirectBuffer buffer, final int offset, final int length)
        {
            if (bytes.length != length)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (bytes[i] != buffer.getByte(offset + i))
                {
                    return false;
                }
            }
            return true;
        }

        private static int hash(final byte[] user, final int algorithm)
        {
            int h = algorithm;
            for (final byte b : user)
            {
                h = 31 * h + b;
            }
            return mix(h);
        }

        private static int mix(final int h)
        {
            final int x = h * 0x9E3779B9;
            return x ^ (x >>> 16);
        }
    }
}
