package io.unichannel.gateway.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** WeChat's XML read safely: entities, DOCTYPEs and oversized documents never get through. */
class WeChatXmlTest {

    @Test
    void readsWeChatsFlatDocument() {
        Map<String, String> fields = WeChatXml.parse("<xml><ToUserName><![CDATA[gh_1]]></ToUserName>"
                + "<FromUserName><![CDATA[oUser]]></FromUserName><CreateTime>1348831860</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[宽带断了 ]]></Content><MsgId>1234567890123456</MsgId></xml>");
        assertThat(fields).containsEntry("FromUserName", "oUser").containsEntry("Content", "宽带断了 ")
                .containsEntry("MsgId", "1234567890123456");
    }

    @Test
    void entitiesDoctypesAndOversizedDocumentsAreRefused() {
        List<String> hostile = List.of(
                "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><Content>&xxe;</Content></xml>",
                "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><Content>&b;</Content></xml>",
                "<!DOCTYPE xml SYSTEM \"http://127.0.0.1:1/evil.dtd\"><xml/>",
                "<xml><Content>" + "x".repeat(70_000) + "</Content></xml>",
                "<xml><Content>" + "x".repeat(9_000) + "</Content></xml>",
                "<xml><Content>a</Content>" + "<F>x</F>".repeat(80) + "</xml>",
                "<xml><FromUserName>oA</FromUserName><FromUserName>oB</FromUserName></xml>",
                "<notxml><Content>hi</Content></notxml>",
                "<xml><Content>unclosed</xml>",
                "",
                "{\"json\":true}");
        for (String body : hostile) {
            assertThatThrownBy(() -> WeChatXml.parse(body)).as(body.length() > 60 ? body.substring(0, 60) : body)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void repliesCannotBreakOutOfTheirCdata() {
        String xml = WeChatXml.write(Map.of("Content", "a]]><Injected>1</Injected>"));
        assertThat(WeChatXml.parse(xml)).containsOnlyKeys("Content").containsEntry("Content", "a]]><Injected>1</Injected>");
    }
}
