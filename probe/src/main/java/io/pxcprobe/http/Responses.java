package io.pxcprobe.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/** Building responses: plain text for curl, JSON on request. */
public final class Responses {
    private Responses() {}

    /**
     * The JSON mapper, made on the first JSON answer: Jackson's databind is about 460 classes (3 MiB
     * of class metadata), which an agent only scraped by Prometheus never needs.
     */
    static JsonMapper jsonMapper() {
        return Json.MAPPER;
    }

    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        return bytes(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public static FullHttpResponse json(HttpResponseStatus status, Object body) {
        return bytes(
                status,
                "application/json",
                jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    }

    /** An error whose first line says what was wrong, for a human with curl. */
    public static FullHttpResponse error(HttpResponseStatus status, String reason) {
        return text(status, status.code() + " " + status.reasonPhrase() + ": " + reason + "\n");
    }

    public static FullHttpResponse bytes(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }
}
