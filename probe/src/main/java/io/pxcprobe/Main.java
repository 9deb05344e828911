package io.pxcprobe;

public final class Main {
    public static void main(String[] args) {
    }
}
