package io.pxcprobe.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;

/** What an endpoint needs of a request: method, path, decoded query parameters, Accept header. */
public record Request(HttpMethod method, String path, Map<String, List<String>> params, String accept) {

    /** The single value of a parameter, or null; a repeated parameter is a client error. */
    public String param(String name) throws BadRequest {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw new BadRequest("parameter '" + name + "' given more than once");
        }
        return v.get(0);
    }

    /** Rejects parameters the endpoint does not know, so a typo is never silently ignored. */
    public void allowOnly(List<String> known) throws BadRequest {
        for (String name : params.keySet()) {
            if (!known.contains(name)) {
                throw new BadRequest("unknown parameter '" + name + "'"
                        + (known.isEmpty() ? "" : "; known: " + String.join(", ", known)));
            }
        }
    }

    /** JSON when asked for by {@code ?format=json} or by an Accept header that prefers it. */
    public boolean wantsJson() throws BadRequest {
        String format = param("format");
        if (format != null) {
            return switch (format) {
                case "json" -> true;
                case "text" -> false;
                default -> throw new BadRequest("format must be text or json");
            };
        }
        return accept != null && accept.contains("application/json");
    }

    /** A client mistake: answered with its status (400 unless said otherwise) and the reason. */
    public static final class BadRequest extends Exception {
        private final transient HttpResponseStatus status;

        public BadRequest(String reason) {
            this(HttpResponseStatus.BAD_REQUEST, reason);
        }

        public BadRequest(HttpResponseStatus status, String reason) {
            super(reason);
            this.status = status;
        }

        public HttpResponseStatus status() {
            return status;
        }
    }
}
