package io.unichannel.gateway.wechat;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * WeChat's XML, read safely: no DOCTYPE at all (so no external entities, no entity expansion),
 * no external schemas or stylesheets, a size limit, and only the flat {@code <xml>} document
 * WeChat sends (child elements with text), each value bounded.
 */
public final class WeChatXml {

    /** WeChat's messages are a few kilobytes; anything far larger is not from WeChat. */
    public static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_FIELDS = 64;
    private static final int MAX_VALUE = 8 * 1024;

    private WeChatXml() {
    }

    /**
     * The fields of a WeChat message.
     *
     * @throws IllegalArgumentException for anything that is not such a document
     */
    public static Map<String, String> parse(String xml) {
        if (xml == null || xml.isBlank()) {
            throw new IllegalArgumentException("the body is empty");
        }
        if (xml.length() > MAX_BYTES) {
            throw new IllegalArgumentException("the body is larger than a WeChat message");
        }
        Document document;
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(null);
            document = builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("the body is not well-formed XML without a DOCTYPE");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        Element root = document.getDocumentElement();
        if (!"xml".equals(root.getTagName())) {
            throw new IllegalArgumentException("the document element must be <xml>");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        int elements = 0;
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() != Node.ELEMENT_NODE) {
                continue;
            }
            if (++elements > MAX_FIELDS) {
                throw new IllegalArgumentException("too many fields");
            }
            String name = ((Element) child).getTagName();
            String value = child.getTextContent();
            if (value.length() > MAX_VALUE) {
                throw new IllegalArgumentException("field " + name + " is too long");
            }
            // WeChat names each field once; a repeated one is an attempt to smuggle a second value.
            if (fields.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("field " + name + " appears twice");
            }
        }
        return fields;
    }

    /** A reply document: each value in CDATA (a "]]>" inside is split so it cannot close it). */
    public static String write(Map<String, String> fields) {
        StringBuilder xml = new StringBuilder("<xml>");
        fields.forEach((name, value) -> {
            xml.append('<').append(name).append('>');
            if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
                xml.append(value);
            } else {
                xml.append("<![CDATA[").append(value.replace("]]>", "]]]]><![CDATA[>")).append("]]>");
            }
            xml.append("</").append(name).append('>');
        });
        return xml.append("</xml>").toString();
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        return factory;
    }
}
