namespace DataNet.Td.Values;

/// <summary>TouchDesigner's CHOP channel-name rule: only <c>[A-Za-z0-9_:/-]</c> survive, everything else becomes <c>_</c>.</summary>
internal static class ChannelNames
{
    public static bool IsLegal(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '/' || c == '-';

    public static string Sanitize(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (!IsLegal(name[i]))
            {
                var chars = name.ToCharArray();
                for (var j = i; j < chars.Length; j++)
                {
                    if (!IsLegal(chars[j]))
                    {
                        chars[j] = '_';
                    }
                }

                return new string(chars);
            }
        }

        return name.Length == 0 ? "_" : name;
    }
}
