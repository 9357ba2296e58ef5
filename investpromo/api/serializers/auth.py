"""Token requests and answers."""

from rest_framework import serializers

from investpromo.api.fields import JSONTypes


class TokenRequestSerializer(JSONTypes, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="send as `Authorization: Token <token>`")
    username = serializers.CharField()
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    regions = serializers.ListField(
        child=serializers.CharField(), help_text="codes an officer may write projects in"
    )
