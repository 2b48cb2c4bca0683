package dev.collect.stream.internal.protobuf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The messages a {@code .proto} file declares, by the paths the registry wire format's message
 * indexes give: just enough of the grammar to name them. Comments and string literals are skipped,
 * and so is every block that is not a message (enums, oneofs, services, option values), so a word
 * {@code message} there declares nothing. Never fails: text it cannot follow names fewer messages.
 */
final class ProtoNames {
  private static final Node OTHER = new Node("");

  private final String prefix;
  private final Node root;

  private ProtoNames(String pkg, Node root) {
    this.prefix = pkg.isEmpty() ? "" : pkg + ".";
    this.root = root;
  }

  /** The full name of the message at {@code path}, or null if the file declares none there. */
  String messageAt(int[] path) {
    Node node = root;
    StringBuilder name = new StringBuilder(prefix);
    for (int i = 0; i < path.length; i++) {
      if (path[i] < 0 || path[i] >= node.messages.size()) {
        return null;
      }
      node = node.messages.get(path[i]);
      name.append(i == 0 ? "" : ".").append(node.name);
    }
    return path.length == 0 ? null : name.toString();
  }

  static ProtoNames parse(String text) {
    List<String> tokens = tokens(text);
    String pkg = "";
    Node root = new Node("");
    Deque<Node> scopes = new ArrayDeque<>();
    scopes.push(root);
    for (int k = 0; k < tokens.size(); k++) {
      String token = tokens.get(k);
      boolean inMessages = scopes.peek() != OTHER;
      if (token.equals("package") && scopes.size() == 1 && k + 1 < tokens.size()) {
        pkg = tokens.get(++k);
      } else if (token.equals("message")
          && inMessages
          && k + 2 < tokens.size()
          && tokens.get(k + 2).equals("{")) {
        Node message = new Node(tokens.get(k + 1));
        scopes.peek().messages.add(message);
        scopes.push(message);
        k += 2;
      } else if (token.equals("{")) {
        scopes.push(OTHER);
      } else if (token.equals("}") && scopes.size() > 1) {
        scopes.pop();
      }
    }
    return new ProtoNames(pkg, root);
  }

  /** Words (identifiers, dotted names, numbers) and single punctuation characters. */
  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (text.startsWith("//", i)) {
        int end = text.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && text.charAt(i) != c) {
          i += text.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        tokens.add("\"\"");
      } else if (isWord(c)) {
        int start = i;
        while (i < n && isWord(text.charAt(i))) {
          i++;
        }
        tokens.add(text.substring(start, i));
      } else {
        if (!Character.isWhitespace(c)) {
          tokens.add(String.valueOf(c));
        }
        i++;
      }
    }
    return tokens;
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.';
  }

  private record Node(String name, List<Node> messages) {
    Node(String name) {
      this(name, new ArrayList<>());
    }
  }
}
