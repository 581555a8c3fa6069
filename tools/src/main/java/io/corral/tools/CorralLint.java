package io.corral.tools;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipUriDecoder;
import io.corral.engine.sip.codec.ViaDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code corral-lint [--json] FILE...}: decodes each file as one UDP datagram with the member's own decoder and
 * prints one line per file, prefixed by the path as given:
 * <pre>
 * PATH: OK &lt;METHOD|STATUS&gt; call-id=&lt;Call-ID&gt; vias=&lt;n&gt;
 * PATH: INVALID &lt;reason&gt;
 * </pre>
 * With {@code --json}, one JSON object per line instead: start line, headers by name with their values, the Via
 * list and the URIs. Exit status: 0 if every file was OK, 1 if any was invalid, 2 on a usage error or an unreadable
 * file (the other files are still checked).
 */
public final class CorralLint
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_INVALID = 1;
    public static final int EXIT_USAGE = 2;

    private static final String USAGE = "usage: corral-lint [--json] FILE...";

    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private final ViaDecoder viaDecoder = new ViaDecoder();
    private final NameAddrDecoder nameAddrDecoder = new NameAddrDecoder();
    private final SipUriDecoder uriDecoder = new SipUriDecoder();
    private final PrintStream out;
    private final PrintStream err;

    CorralLint(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    /**
     * @param args {@code [--json] FILE...}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CorralLint(System.out, System.err).run(args));
    }

    /**
     * @param args {@code [--json] FILE...}.
     * @return the exit status.
     */
    int run(final String[] args)
    {
        boolean json = false;
        final List<String> files = new ArrayList<>();
        boolean options = true;
        for (final String arg : args)
        {
            if (options && "--json".equals(arg))
            {
                json = true;
            }
            else if (options && "--".equals(arg))
            {
                options = false;
            }
            else if (options && ("-h".equals(arg) || "--help".equals(arg)))
            {
                out.println(USAGE);
                return EXIT_OK;
            }
            else if (options && arg.startsWith("-") && arg.length() > 1)
            {
                err.println("corral-lint: unknown option " + arg);
                err.println(USAGE);
                return EXIT_USAGE;
            }
            else
            {
                files.add(arg);
            }
        }
        if (files.isEmpty())
        {
            err.println(USAGE);
            return EXIT_USAGE;
        }

        boolean anyInvalid = false;
        boolean anyUnreadable = false;
        for (final String path : files)
        {
            final byte[] bytes;
            try
            {
                bytes = Files.readAllBytes(Paths.get(path));
            }
            catch (final IOException | RuntimeException ex)
            {
                err.println("corral-lint: " + path + ": cannot read: " + ex);
                anyUnreadable = true;
                continue;
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            // The linter checks what a member's registrar would too: the Contacts its proxy path leaves alone.
            decoder.wrap(buffer, 0, bytes.length);
            decoder.validateContacts();
            final int result = decoder.result();
            if (result != SipMessageDecoder.OK)
            {
                anyInvalid = true;
            }
            out.println(json ? json(path, result) : line(path, result));
        }
        if (anyUnreadable)
        {
            return EXIT_USAGE;
        }
        return anyInvalid ? EXIT_INVALID : EXIT_OK;
    }

    private String line(final String path, final int result)
    {
        if (result != SipMessageDecoder.OK)
        {
            return path + ": INVALID " + decoder.reason();
        }
        final DirectBuffer buffer = decoder.buffer();
        final String startLine = decoder.isRequest() ?
            text(buffer, decoder.methodOffset(), decoder.methodLength()) :
            Integer.toString(decoder.statusCode());
        return path + ": OK " + startLine +
            " call-id=" + text(buffer, decoder.callIdOffset(), decoder.callIdLength()) +
            " vias=" + decoder.count(HeaderName.VIA);
    }

    private String json(final String path, final int result)
    {
        final DirectBuffer buffer = decoder.buffer();
        final Json json = new Json();
        json.begin();
        json.field("path").string(path);
        json.field("result").string(result == SipMessageDecoder.OK ? "OK" : "INVALID");
        json.field("reason").string(decoder.reason());
        if (result == SipMessageDecoder.OK || result == SipMessageDecoder.VERSION_NOT_SUPPORTED)
        {
            json.field("startLine").begin();
            if (decoder.isRequest())
            {
                json.field("method").string(text(buffer, decoder.methodOffset(), decoder.methodLength()));
                json.field("requestUri").string(
                    text(buffer, decoder.requestUriOffset(), decoder.requestUriLength()));
            }
            else
            {
                json.field("status").number(decoder.statusCode());
                json.field("reasonPhrase").string(
                    text(buffer, decoder.reasonPhraseOffset(), decoder.reasonPhraseLength()));
            }
            json.field("version").string(text(buffer, decoder.versionOffset(), decoder.versionLength()));
            json.end();

            json.field("headers").begin();
            for (final Map.Entry<String, List<String>> header : headersByName(buffer).entrySet())
            {
                json.field(header.getKey()).beginArray();
                for (final String value : header.getValue())
                {
                    json.string(value);
                }
                json.endArray();
            }
            json.end();

            json.field("vias").beginArray();
            for (int i = decoder.firstIndexOf(HeaderName.VIA); i >= 0; i = decoder.nextIndexOf(HeaderName.VIA, i))
            {
                via(json, buffer, i);
            }
            json.endArray();

            json.field("uris").begin();
            if (decoder.isRequest())
            {
                json.field("requestUri");
                uri(json, buffer, decoder.requestUriOffset(), decoder.requestUriLength());
            }
            nameAddr(json, buffer, "from", HeaderName.FROM);
            nameAddr(json, buffer, "to", HeaderName.TO);
            nameAddr(json, buffer, "contact", HeaderName.CONTACT);
            json.end();

            json.field("body").begin();
            json.field("offset").number(decoder.bodyOffset());
            json.field("length").number(decoder.bodyLength());
            json.end();
        }
        json.end();
        return json.toString();
    }

    private Map<String, List<String>> headersByName(final DirectBuffer buffer)
    {
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < decoder.headerCount(); i++)
        {
            final int id = decoder.headerId(i);
            final String name = id == HeaderName.UNKNOWN ?
                text(buffer, decoder.nameOffset(i), decoder.nameLength(i)) :
                new String(HeaderName.name(id), StandardCharsets.US_ASCII);
            headers.computeIfAbsent(name, k -> new ArrayList<>())
                .add(text(buffer, decoder.valueOffset(i), decoder.valueLength(i)));
        }
        return headers;
    }

    private void via(final Json json, final DirectBuffer buffer, final int index)
    {
        json.begin();
        json.field("value").string(text(buffer, decoder.valueOffset(index), decoder.valueLength(index)));
        if (viaDecoder.wrap(buffer, decoder.valueOffset(index), decoder.valueLength(index)))
        {
            json.field("transport").string(
                text(buffer, viaDecoder.transportOffset(), viaDecoder.transportLength()));
            json.field("host").string(text(buffer, viaDecoder.hostOffset(), viaDecoder.hostLength()));
            json.field("port").number(viaDecoder.port());
            if (viaDecoder.hasBranch())
            {
                json.field("branch").string(text(buffer, viaDecoder.branchOffset(), viaDecoder.branchLength()));
            }
            if (viaDecoder.hasReceived())
            {
                json.field("received").string(
                    text(buffer, viaDecoder.receivedOffset(), viaDecoder.receivedLength()));
            }
            if (viaDecoder.rport() != ViaDecoder.RPORT_ABSENT)
            {
                json.field("rport").number(viaDecoder.rport());
            }
        }
        else
        {
            json.field("error").string(viaDecoder.reason());
        }
        json.end();
    }

    private void nameAddr(final Json json, final DirectBuffer buffer, final String key, final int headerId)
    {
        final int first = decoder.firstIndexOf(headerId);
        if (first < 0)
        {
            return;
        }
        json.field(key).beginArray();
        for (int i = first; i >= 0; i = decoder.nextIndexOf(headerId, i))
        {
            if (nameAddrDecoder.wrap(buffer, decoder.valueOffset(i), decoder.valueLength(i)))
            {
                if (nameAddrDecoder.isStar())
                {
                    json.string("*");
                }
                else
                {
                    uri(json, buffer, nameAddrDecoder.uriOffset(), nameAddrDecoder.uriLength());
                }
            }
            else
            {
                json.begin().field("error").string(nameAddrDecoder.reason()).end();
            }
        }
        json.endArray();
    }

    private void uri(final Json json, final DirectBuffer buffer, final int offset, final int length)
    {
        json.begin();
        json.field("uri").string(text(buffer, offset, length));
        if (uriDecoder.wrap(buffer, offset, length))
        {
            json.field("scheme").string(text(buffer, uriDecoder.schemeOffset(), uriDecoder.schemeLength()));
            if (uriDecoder.scheme() != SipUriDecoder.OTHER)
            {
                if (uriDecoder.hasUser())
                {
                    json.field("user").string(text(buffer, uriDecoder.userOffset(), uriDecoder.userLength()));
                }
                if (uriDecoder.hostLength() > 0)
                {
                    json.field("host").string(text(buffer, uriDecoder.hostOffset(), uriDecoder.hostLength()));
                }
                if (uriDecoder.port() > 0)
                {
                    json.field("port").number(uriDecoder.port());
                }
            }
        }
        else
        {
            json.field("error").string(uriDecoder.reason());
        }
        json.end();
    }

    private static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return "";
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A minimal JSON writer: objects, arrays, strings (escaped per RFC 8259) and integers, enough for lint output.
     */
    static final class Json
    {
        private final StringBuilder sb = new StringBuilder();
        private boolean needComma;

        Json begin()
        {
            separate();
            sb.append('{');
            needComma = false;
            return this;
        }

        Json end()
        {
            sb.append('}');
            needComma = true;
            return this;
        }

        Json beginArray()
        {
            separate();
            sb.append('[');
            needComma = false;
            return this;
        }

        Json endArray()
        {
            sb.append(']');
            needComma = true;
            return this;
        }

        Json field(final String name)
        {
            separate();
            quote(name);
            sb.append(':');
            needComma = false;
            return this;
        }

        Json string(final String value)
        {
            separate();
            quote(value);
            needComma = true;
            return this;
        }

        Json number(final long value)
        {
            separate();
            sb.append(value);
            needComma = true;
            return this;
        }

        private void separate()
        {
            if (needComma)
            {
                sb.append(',');
                needComma = false;
            }
        }

        private void quote(final String value)
        {
            sb.append('"');
            for (int i = 0; i < value.length(); i++)
            {
                final char c = value.charAt(i);
                switch (c)
                {
                    case '"':
                        sb.append("\\\"");
                        break;
                    case '\\':
                        sb.append("\\\\");
                        break;
                    case '\n':
                        sb.append("\\n");
                        break;
                    case '\r':
                        sb.append("\\r");
                        break;
                    case '\t':
                        sb.append("\\t");
                        break;
                    default:
                        if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029')
                        {
                            sb.append(String.format("\\u%04x", (int)c));
                        }
                        else
                        {
                            sb.append(c);
                        }
                }
            }
            sb.append('"');
        }

        @Override
        public String toString()
        {
            return sb.toString();
        }
    }
}
