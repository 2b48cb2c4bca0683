package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.fixtures.Click;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest {

  @Test
  void beanValidationReportsSortedViolationsWithLiteralMessages() {
    List<Violation> v = Validator.bean(Click.class).validate(new Click("", null, "hover", -1));

    assertThat(v)
        .extracting(Violation::describe)
        .containsExactly(
            "id must not be blank",
            "position must be >= 0",
            "type must be one of view|click|buy",
            "user must not be null");
    assertThat(v).extracting(Violation::rule).contains("NotBlank", "PositiveOrZero");
  }

  @Test
  void aNullRecordIsAViolationNotACrash() {
    assertThat(Validator.bean(Click.class).validate(null)).hasSize(1);
  }

  @Test
  void rulesCompose() {
    Validator<Click> v =
        Validator.<Click>rule("position", "must be < 10", c -> c.position() < 10)
            .and(Validator.rule("type", "must be view", c -> c.type().equals("view")));

    assertThat(v.validate(new Click("e", "u", "view", 3))).isEmpty();
    assertThat(v.validate(new Click("e", "u", "buy", 30)))
        .extracting(Violation::path)
        .containsExactly("position", "type");
    assertThat(
            Validator.all(Validator.bean(Click.class), v).validate(new Click("e", "u", "buy", 3)))
        .hasSize(1);
  }
}
