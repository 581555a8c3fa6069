package io.corral.tools;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorralLintTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CorralLint lint = new CorralLint(
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    private static String fixture(final String name) throws URISyntaxException
    {
        return Paths.get(CorralLintTest.class.getResource("/lint/" + name).toURI()).toString();
    }

    private String[] outLines()
    {
        return out.toString(StandardCharsets.UTF_8).split("\n");
    }

    @Test
    void shouldPrintOkLinesAndExitZeroWhenEveryFileIsValid() throws Exception
    {
        final String invite = fixture("invite.sip");
        final String response = fixture("response-401.sip");

        assertEquals(CorralLint.EXIT_OK, lint.run(new String[]{invite, response}));

        final String[] lines = outLines();
        assertEquals(2, lines.length);
        assertEquals(invite + ": OK INVITE call-id=1-2481@127.0.1.1 vias=1", lines[0]);
        assertEquals(response + ": OK 401 call-id=8b0a91c6e2f7d4a3 vias=1", lines[1]);
    }

    @Test
    void shouldPrintReasonAndExitOneWhenAnyFileIsInvalid() throws Exception
    {
        final String invite = fixture("invite.sip");
        final String mismatch = fixture("mismatch01.sip");

        assertEquals(CorralLint.EXIT_INVALID, lint.run(new String[]{mismatch, invite}));

        final String[] lines = outLines();
        assertEquals(mismatch + ": INVALID Bad CSeq method", lines[0]);
        assertTrue(lines[1].startsWith(invite + ": OK INVITE"), lines[1]);
    }

    @Test
    void shouldCheckContactsTooWhenTheRestOfTheMessageIsValid() throws Exception
    {
        final String badContact = fixture("regbadct.sip");

        assertEquals(CorralLint.EXIT_INVALID, lint.run(new String[]{badContact}));

        assertEquals(badContact + ": INVALID URI with ',', '?' or ';' must be enclosed in <>", outLines()[0]);
    }

    @Test
    void shouldExitTwoAndStillCheckOthersWhenFileIsUnreadable() throws Exception
    {
        final String invite = fixture("invite.sip");

        assertEquals(CorralLint.EXIT_USAGE, lint.run(new String[]{"no/such/file.sip", invite}));

        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no/such/file.sip"));
        assertEquals(1, outLines().length);
    }

    @Test
    void shouldExitTwoWhenNoFileIsGiven()
    {
        assertEquals(CorralLint.EXIT_USAGE, lint.run(new String[]{}));
        assertEquals(CorralLint.EXIT_USAGE, lint.run(new String[]{"--json"}));
        assertEquals(CorralLint.EXIT_USAGE, lint.run(new String[]{"--bogus", "x.sip"}));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: corral-lint"));
    }

    @Test
    void shouldPrintDecodedStructureWhenJsonIsAsked() throws Exception
    {
        final String invite = fixture("invite.sip");
        final String mismatch = fixture("mismatch01.sip");

        assertEquals(CorralLint.EXIT_INVALID, lint.run(new String[]{"--json", invite, mismatch}));

        final String[] lines = outLines();
        assertEquals(2, lines.length);
        final String ok = lines[0];
        assertTrue(ok.startsWith("{\"path\":\"" + invite.replace("\\", "\\\\") + "\",\"result\":\"OK\""), ok);
        assertTrue(ok.contains("\"startLine\":{\"method\":\"INVITE\",\"requestUri\":\"sip:service@127.0.0.1:5060\""),
            ok);
        assertTrue(ok.contains("\"Call-ID\":[\"1-2481@127.0.1.1\"]"), ok);
        assertTrue(ok.contains("\"From\":[\"sipp <sip:sipp@127.0.1.1:5061>;tag=2481SIPpTag001\"]"), ok);
        assertTrue(ok.contains("\"vias\":[{\"value\":\"SIP/2.0/UDP 127.0.1.1:5061;branch=z9hG4bK-2481-1-0\"," +
            "\"transport\":\"UDP\",\"host\":\"127.0.1.1\",\"port\":5061,\"branch\":\"z9hG4bK-2481-1-0\"}]"), ok);
        assertTrue(ok.contains("\"requestUri\":{\"uri\":\"sip:service@127.0.0.1:5060\",\"scheme\":\"sip\"," +
            "\"user\":\"service\",\"host\":\"127.0.0.1\",\"port\":5060}"), ok);
        assertTrue(lines[1].contains("\"result\":\"INVALID\",\"reason\":\"Bad CSeq method\"}"), lines[1]);
    }

    @Test
    void shouldEscapeControlAndQuoteCharactersWhenWritingJson()
    {
        final CorralLint.Json json = new CorralLint.Json();
        json.begin().field("a\"b").string("x\\y\r\n\u0001\u00e9").end();
        assertEquals("{\"a\\\"b\":\"x\\\\y\\r\\n\\u0001\u00e9\"}", json.toString());
    }
}
