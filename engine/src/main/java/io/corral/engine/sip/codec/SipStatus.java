package io.corral.engine.sip.codec;

import java.nio.charset.StandardCharsets;

/**
 * Status codes and their default reason phrases: RFC 3261 §21 and the codes registered since that a SIP edge meets
 * (RFC 3262, 3265/6665, 3329, 3892, 4028, 4412, 4474, 5079, 5360, 5393, 5626, 5839, 6086, 6228, 8197, 8224, 8599,
 * 8688). A code without a phrase of its own gets the name of its class.
 */
public final class SipStatus
{
    public static final int TRYING = 100;
    public static final int RINGING = 180;
    public static final int SESSION_PROGRESS = 183;
    public static final int OK = 200;
    public static final int ACCEPTED = 202;
    public static final int MOVED_TEMPORARILY = 302;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;
    public static final int NOT_FOUND = 404;
    public static final int METHOD_NOT_ALLOWED = 405;
    public static final int PROXY_AUTHENTICATION_REQUIRED = 407;
    public static final int REQUEST_TIMEOUT = 408;
    public static final int REQUEST_ENTITY_TOO_LARGE = 413;
    public static final int UNSUPPORTED_MEDIA_TYPE = 415;
    public static final int UNSUPPORTED_URI_SCHEME = 416;
    public static final int BAD_EXTENSION = 420;
    public static final int INTERVAL_TOO_BRIEF = 423;
    public static final int FLOW_FAILED = 430;
    public static final int TEMPORARILY_UNAVAILABLE = 480;
    public static final int CALL_DOES_NOT_EXIST = 481;
    public static final int LOOP_DETECTED = 482;
    public static final int TOO_MANY_HOPS = 483;
    public static final int BUSY_HERE = 486;
    public static final int REQUEST_TERMINATED = 487;
    public static final int SERVER_INTERNAL_ERROR = 500;
    public static final int NOT_IMPLEMENTED = 501;
    public static final int SERVICE_UNAVAILABLE = 503;
    public static final int SERVER_TIMEOUT = 504;
    public static final int VERSION_NOT_SUPPORTED = 505;
    public static final int MESSAGE_TOO_LARGE = 513;
    public static final int DECLINE = 603;

    private static final byte[][] PHRASES = new byte[700][];
    private static final byte[][] CLASS_PHRASES = new byte[7][];

    static
    {
        CLASS_PHRASES[0] = new byte[0];
        CLASS_PHRASES[1] = bytes("Provisional");
        CLASS_PHRASES[2] = bytes("Successful");
        CLASS_PHRASES[3] = bytes("Redirection");
        CLASS_PHRASES[4] = bytes("Request Failure");
        CLASS_PHRASES[5] = bytes("Server Failure");
        CLASS_PHRASES[6] = bytes("Global Failure");

        define(100, "Trying");
        define(180, "Ringing");
        define(181, "Call Is Being Forwarded");
        define(182, "Queued");
        define(183, "Session Progress");
        define(199, "Early Dialog Terminated");
        define(200, "OK");
        define(202, "Accepted");
        define(204, "No Notification");
        define(300, "Multiple Choices");
        define(301, "Moved Permanently");
        define(302, "Moved Temporarily");
        define(305, "Use Proxy");
        define(380, "Alternative Service");
        define(400, "Bad Request");
        define(401, "Unauthorized");
        define(402, "Payment Required");
        define(403, "Forbidden");
        define(404, "Not Found");
        define(405, "Method Not Allowed");
        define(406, "Not Acceptable");
        define(407, "Proxy Authentication Required");
        define(408, "Request Timeout");
        define(410, "Gone");
        define(412, "Conditional Request Failed");
        define(413, "Request Entity Too Large");
        define(414, "Request-URI Too Long");
        define(415, "Unsupported Media Type");
        define(416, "Unsupported URI Scheme");
        define(417, "Unknown Resource-Priority");
        define(420, "Bad Extension");
        define(421, "Extension Required");
        define(422, "Session Interval Too Small");
        define(423, "Interval Too Brief");
        define(428, "Use Identity Header");
        define(429, "Provide Referrer Identity");
        define(430, "Flow Failed");
        define(433, "Anonymity Disallowed");
        define(436, "Bad Identity Info");
        define(437, "Unsupported Credential");
        define(438, "Invalid Identity Header");
        define(439, "First Hop Lacks Outbound Support");
        define(440, "Max-Breadth Exceeded");
        define(469, "Bad Info Package");
        define(470, "Consent Needed");
        define(480, "Temporarily Unavailable");
        define(481, "Call/Transaction Does Not Exist");
        define(482, "Loop Detected");
        define(483, "Too Many Hops");
        define(484, "Address Incomplete");
        define(485, "Ambiguous");
        define(486, "Busy Here");
        define(487, "Request Terminated");
        define(488, "Not Acceptable Here");
        define(489, "Bad Event");
        define(491, "Request Pending");
        define(493, "Undecipherable");
        define(494, "Security Agreement Required");
        define(500, "Server Internal Error");
        define(501, "Not Implemented");
        define(502, "Bad Gateway");
        define(503, "Service Unavailable");
        define(504, "Server Time-out");
        define(505, "Version Not Supported");
        define(513, "Message Too Large");
        define(555, "Push Notification Service Not Supported");
        define(580, "Precondition Failure");
        define(600, "Busy Everywhere");
        define(603, "Decline");
        define(604, "Does Not Exist Anywhere");
        define(606, "Not Acceptable");
        define(607, "Unwanted");
        define(608, "Rejected");
    }

    private SipStatus()
    {
    }

    /**
     * @param statusCode 100 to 699.
     * @return the default reason phrase (callers must not modify it), the class name for a code without one, or an
     * empty array for a code outside 100–699.
     */
    public static byte[] reasonPhrase(final int statusCode)
    {
        if (statusCode < 100 || statusCode > 699)
        {
            return CLASS_PHRASES[0];
        }
        final byte[] phrase = PHRASES[statusCode];
        return phrase != null ? phrase : CLASS_PHRASES[statusCode / 100];
    }

    /**
     * @param statusCode a status code.
     * @return true for 100–699, the codes a status line may carry.
     */
    public static boolean isValid(final int statusCode)
    {
        return statusCode >= 100 && statusCode <= 699;
    }

    private static void define(final int statusCode, final String phrase)
    {
        PHRASES[statusCode] = bytes(phrase);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
